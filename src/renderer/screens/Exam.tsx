import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { isAnswered, type AnswerValue } from '../../common/answers';
import type { ClientState, ExamView } from '../../common/ipc';
import { AddedTime } from '../parts/AddedTime';
import { emptyAnswer } from '../parts/answers';
import { BatteryWarning } from '../parts/BatteryWarning';
import { Countdown } from '../parts/Countdown';
import { QuestionInput } from '../parts/QuestionInput';
import { RaiseHand } from '../parts/RaiseHand';
import { SaveStatus } from '../parts/SaveStatus';
import { ConnectionBadge } from '../parts/StatusBar';
import { errorWords } from '../words';

import { SubmitDialog } from './SubmitDialog';

/** Saving on this computer is failing: "Not saved yet" is then news, in red. */
const STORAGE_PROBLEMS = new Set(['disk-full', 'storage-denied', 'storage-failed']);

/**
 * The exam: a header that stays in view (title, who, time, connection, hand, submit), the
 * navigator, and one question at a time with its save status.
 */
export function Exam({ state, exam }: { state: ClientState; exam: ExamView }) {
  const { t } = useTranslation();
  const { questions } = exam.content;
  const [answers, setAnswers] = useState<Record<string, AnswerValue>>(exam.answers);
  // Where the candidate was (after a reload, or on a second laptop), else question 1.
  const [index, setIndex] = useState(() =>
    Math.max(
      0,
      questions.findIndex((q) => q.id === exam.place?.at),
    ),
  );
  const [flags, setFlags] = useState<string[]>(exam.place?.marked ?? []);
  const [confirming, setConfirming] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  /** Saves sent to main and not yet durable, per question: the screen must not say saved. */
  const [inFlight, setInFlight] = useState<Record<string, number>>({});
  const heading = useRef<HTMLHeadingElement>(null);
  const question = questions[index]!;
  const value = answers[question.id] ?? emptyAnswer(question);
  const saved = (inFlight[question.id] ?? 0) > 0 ? 'unsaved' : state.saves[question.id];

  // The place is journaled (main writes only a change): it follows the candidate.
  useEffect(() => {
    void window.vakt.keepPlace({ at: questions[index]!.id, marked: flags });
  }, [index, flags, questions]);

  // A new question: focus on its heading, scrolled just into view (below the header).
  useEffect(() => {
    heading.current?.focus({ preventScroll: true });
    heading.current?.scrollIntoView({ block: 'nearest' });
  }, [index]);

  async function change(next: AnswerValue) {
    const id = question.id;
    const count = (delta: number) =>
      setInFlight((current) => ({ ...current, [id]: (current[id] ?? 0) + delta }));
    setAnswers((current) => ({ ...current, [id]: next }));
    count(1);
    const result = await window.vakt.saveAnswer({ questionId: id, value: next });
    count(-1);
    setProblem(result.ok ? null : errorWords(t, result.error));
  }

  function go(to: number) {
    // Leaving the question: whatever is typed is journaled now, not after the pause.
    if (answers[question.id])
      void window.vakt.saveAnswer({
        questionId: question.id,
        value: answers[question.id]!,
        leaving: true,
      });
    setIndex(Math.max(0, Math.min(questions.length - 1, to)));
  }

  const flagged = flags.includes(question.id);
  const statusOf = (id: string) =>
    [isAnswered(answers[id]) ? t('exam.answered') : t('exam.unanswered')]
      .concat(flags.includes(id) ? [t('exam.flagged')] : [])
      .join(', ');

  return (
    <div className="exam">
      <header className="exam-header">
        <h1>{exam.content.title}</h1>
        <p className="identity">
          {exam.candidateName
            ? t('exam.identityNamed', {
                name: exam.candidateName,
                number: exam.candidateNumber,
                code: exam.examCode,
              })
            : t('exam.identity', { number: exam.candidateNumber, code: exam.examCode })}
        </p>
        {state.deadline !== null && (
          <Countdown
            deadline={state.deadline}
            clockOffsetMs={state.clockOffsetMs}
            pausedAt={state.pausedAt}
          />
        )}
        <ConnectionBadge state={state} />
        <RaiseHand state={state} />
        <AddedTime addedMinutes={state.addedMinutes} />
        <BatteryWarning battery={state.battery} />
        <button type="button" className="primary" onClick={() => setConfirming(true)}>
          {t('exam.submit')}
        </button>
      </header>
      <nav aria-label={t('exam.questions')} className="navigator">
        <ol>
          {questions.map((q, i) => (
            <li key={q.id}>
              <button
                type="button"
                aria-current={i === index ? 'step' : undefined}
                className={`${isAnswered(answers[q.id]) ? 'answered' : 'unanswered'}${flags.includes(q.id) ? ' flagged' : ''}`}
                aria-label={`${t('exam.questionOf', { number: i + 1, total: questions.length })}: ${statusOf(q.id)}`}
                onClick={() => go(i)}
              >
                {i + 1}
              </button>
            </li>
          ))}
        </ol>
      </nav>
      <main className="question">
        {index === 0 && exam.content.instructions && (
          <p className="instructions">{exam.content.instructions}</p>
        )}
        <h2 ref={heading} tabIndex={-1}>
          {t('exam.questionOf', { number: index + 1, total: questions.length })}{' '}
          <span className="points">({t('exam.points', { count: question.points })})</span>
        </h2>
        <p id="prompt" className="prompt">
          {question.prompt}
        </p>
        <QuestionInput question={question} value={value} onChange={(next) => void change(next)} />
        <SaveStatus
          status={saved}
          failing={STORAGE_PROBLEMS.has(state.problem?.code ?? '') || problem !== null}
        />
        {problem && (
          <p className="problem" role="alert">
            {problem}
          </p>
        )}
        <div className="question-actions">
          <button
            type="button"
            aria-pressed={flagged}
            onClick={() =>
              setFlags(flagged ? flags.filter((id) => id !== question.id) : [...flags, question.id])
            }
          >
            {flagged ? t('exam.unflag') : t('exam.flag')}
          </button>
          <button type="button" disabled={index === 0} onClick={() => go(index - 1)}>
            {t('exam.previous')}
          </button>
          <button
            type="button"
            disabled={index === questions.length - 1}
            onClick={() => go(index + 1)}
          >
            {t('exam.next')}
          </button>
        </div>
      </main>
      {confirming && (
        <SubmitDialog
          questions={questions}
          answers={answers}
          flags={flags}
          onCancel={() => setConfirming(false)}
          onGoTo={(i) => {
            setConfirming(false);
            go(i);
          }}
        />
      )}
    </div>
  );
}
