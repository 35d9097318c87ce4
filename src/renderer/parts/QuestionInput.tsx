import { useTranslation } from 'react-i18next';

import type { AnswerValue } from '../../common/answers';
import type { Question } from '../../common/content';
import { parseNumericAnswer } from '../../common/numeric';

import { wordCount } from './answers';

interface Props {
  question: Question;
  value: AnswerValue;
  onChange: (value: AnswerValue) => void;
}

/** The input for one question, by its type; every control is labelled by the prompt. */
export function QuestionInput({ question, value, onChange }: Props) {
  const { t } = useTranslation();
  const hintId = `hint-${question.id}`;
  switch (question.type) {
    case 'single-choice': {
      const chosen = value.type === 'single-choice' ? value.optionId : null;
      return (
        <fieldset aria-labelledby="prompt">
          {question.options.map((option) => (
            <label key={option.id} className="choice">
              <input
                type="radio"
                name={question.id}
                checked={chosen === option.id}
                onChange={() => onChange({ type: 'single-choice', optionId: option.id })}
              />
              {option.text}
            </label>
          ))}
        </fieldset>
      );
    }
    case 'multiple-choice': {
      const chosen = value.type === 'multiple-choice' ? value.optionIds : [];
      const max = question.maxSelections ?? question.options.length;
      const min = question.minSelections;
      const toggle = (id: string) =>
        onChange({
          type: 'multiple-choice',
          optionIds: chosen.includes(id) ? chosen.filter((x) => x !== id) : [...chosen, id],
        });
      return (
        <fieldset aria-labelledby="prompt" aria-describedby={hintId}>
          <p id={hintId} className="hint">
            {max < question.options.length
              ? t('exam.selectBetween', { min, max })
              : min > 0
                ? t('exam.selectAtLeast', { min })
                : ''}
          </p>
          {question.options.map((option) => (
            <label key={option.id} className="choice">
              <input
                type="checkbox"
                checked={chosen.includes(option.id)}
                disabled={!chosen.includes(option.id) && chosen.length >= max}
                onChange={() => toggle(option.id)}
              />
              {option.text}
            </label>
          ))}
        </fieldset>
      );
    }
    case 'short-text':
    case 'long-text': {
      const text = value.type === question.type ? value.text : '';
      const props = {
        id: 'answer',
        'aria-labelledby': 'prompt',
        'aria-describedby': hintId,
        maxLength: question.maxLength,
        value: text,
        spellCheck: false,
        onChange: (event: { target: { value: string } }) =>
          onChange({ type: question.type, text: event.target.value }),
      };
      return (
        <div className="text-answer">
          {question.type === 'short-text' ? (
            <input {...props} />
          ) : (
            <textarea rows={12} {...props} />
          )}
          <p id={hintId} className="hint">
            {question.type === 'long-text' && `${t('exam.words', { count: wordCount(text) })} · `}
            {t('exam.characters', { count: text.length, max: question.maxLength })}
          </p>
        </div>
      );
    }
    case 'numeric': {
      const text = value.type === 'numeric' ? value.text : '';
      const number = parseNumericAnswer(text);
      const outside =
        number !== null &&
        ((question.min !== undefined && number < question.min) ||
          (question.max !== undefined && number > question.max));
      const problem =
        text.trim() === ''
          ? null
          : number === null
            ? t('exam.notANumber', { example: 3.5 })
            : outside
              ? t('exam.outOfRange')
              : null;
      return (
        <div className="numeric-answer">
          <input
            id="answer"
            inputMode="decimal"
            aria-labelledby="prompt"
            aria-describedby={hintId}
            aria-invalid={problem !== null}
            value={text}
            maxLength={64}
            onChange={(event) => onChange({ type: 'numeric', text: event.target.value })}
          />
          {question.unit && <span className="unit">{question.unit}</span>}
          <p id={hintId} className="hint">
            {question.min !== undefined && question.max !== undefined
              ? t('exam.numberRange', { min: question.min, max: question.max })
              : ''}
            {problem && <span className="problem"> {problem}</span>}
          </p>
        </div>
      );
    }
  }
}
