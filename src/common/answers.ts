import { z } from 'zod';

import { contentIdSchema } from './ids';
import { textSchema } from './well-formed';

/** Upper bounds that keep one answer record small enough to journal and upload. */
export const MAX_SHORT_TEXT = 1_000;
export const MAX_LONG_TEXT = 100_000;

/** A candidate's answer to one question, tagged with the question type it answers. */
export const answerValueSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('single-choice'), optionId: contentIdSchema.nullable() }),
  z.strictObject({
    type: z.literal('multiple-choice'),
    optionIds: z.array(contentIdSchema).max(100),
  }),
  z.strictObject({ type: z.literal('short-text'), text: textSchema(MAX_SHORT_TEXT) }),
  z.strictObject({ type: z.literal('long-text'), text: textSchema(MAX_LONG_TEXT) }),
  // Kept as typed ("3,5" or "3.5"): what the candidate wrote is the evidence.
  z.strictObject({ type: z.literal('numeric'), text: textSchema(64) }),
]);
export type AnswerValue = z.infer<typeof answerValueSchema>;

export { parseNumericAnswer } from './numeric';

/**
 * Whether a value answers its question (a cleared choice or a blank text does not): one rule for
 * the candidate's screen, the server's count and the dashboard.
 */
export function isAnswered(value: AnswerValue | undefined): boolean {
  if (!value) return false;
  switch (value.type) {
    case 'single-choice':
      return value.optionId !== null;
    case 'multiple-choice':
      return value.optionIds.length > 0;
    case 'short-text':
    case 'long-text':
    case 'numeric':
      return value.text.trim() !== '';
  }
}
