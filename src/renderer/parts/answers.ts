import type { AnswerValue } from '../../common/answers';
import type { Question } from '../../common/content';

/** The empty answer of a question's type, for a question not touched yet. */
export function emptyAnswer(question: Question): AnswerValue {
  switch (question.type) {
    case 'single-choice':
      return { type: 'single-choice', optionId: null };
    case 'multiple-choice':
      return { type: 'multiple-choice', optionIds: [] };
    case 'short-text':
      return { type: 'short-text', text: '' };
    case 'long-text':
      return { type: 'long-text', text: '' };
    case 'numeric':
      return { type: 'numeric', text: '' };
  }
}

/** Words in a text, as a reader counts them. */
export function wordCount(text: string): number {
  const words = text.trim().split(/\s+/u);
  return words[0] === '' ? 0 : words.length;
}
