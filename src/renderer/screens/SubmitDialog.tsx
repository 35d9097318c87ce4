import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { isAnswered, type AnswerValue } from '../../common/answers';
import type { Question } from '../../common/content';
import { Modal } from '../parts/Modal';
import { errorWords } from '../words';

interface Props {
  questions: readonly Question[];
  answers: Record<string, AnswerValue>;
  flags: readonly string[];
  onCancel: () => void;
  onGoTo: (index: number) => void;
}

/** Lists what is unanswered and flagged before the candidate submits for good. */
export function SubmitDialog({ questions, answers, flags, onCancel, onGoTo }: Props) {
  const { t } = useTranslation();
  const title = useRef<HTMLHeadingElement>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => title.current?.focus(), []);

  const numbered = questions.map((question, index) => ({ question, index }));
  const unanswered = numbered.filter(({ question }) => !isAnswered(answers[question.id]));
  const flagged = numbered.filter(({ question }) => flags.includes(question.id));
  const list = (items: typeof numbered) => (
    <ul>
      {items.map(({ question, index }) => (
        <li key={question.id}>
          <button type="button" className="link" onClick={() => onGoTo(index)}>
            {t('exam.questionOf', { number: index + 1, total: questions.length })}
          </button>
        </li>
      ))}
    </ul>
  );

  async function submit() {
    setBusy(true);
    const result = await window.vakt.submit({});
    setBusy(false);
    if (!result.ok) setProblem(errorWords(t, result.error));
  }

  return (
    <Modal labelledBy="submit-title" className="dialog" onCancel={onCancel}>
      <h2 id="submit-title" ref={title} tabIndex={-1}>
        {t('submit.title')}
      </h2>
      {unanswered.length > 0 && (
        <>
          <p>{t('submit.unanswered', { count: unanswered.length })}</p>
          {list(unanswered)}
        </>
      )}
      {flagged.length > 0 && (
        <>
          <p>{t('submit.flagged', { count: flagged.length })}</p>
          {list(flagged)}
        </>
      )}
      {unanswered.length === 0 && <p>{t('submit.allAnswered')}</p>}
      <p>{t('submit.final')}</p>
      {problem && (
        <p className="problem" role="alert">
          {problem}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" onClick={onCancel}>
          {t('submit.cancel')}
        </button>
        <button type="button" className="primary" disabled={busy} onClick={() => void submit()}>
          {t('submit.confirm')}
        </button>
      </div>
    </Modal>
  );
}
