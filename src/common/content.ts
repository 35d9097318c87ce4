import { z } from 'zod';

import { MAX_LONG_TEXT, MAX_SHORT_TEXT, type AnswerValue } from './answers';
import { contentIdSchema } from './ids';

/** Exam content: the questions, in the order the candidate sees them. */

const optionSchema = z.strictObject({ id: contentIdSchema, text: z.string().min(1).max(2_000) });

const base = {
  id: contentIdSchema,
  prompt: z.string().min(1, 'must not be empty').max(20_000),
  points: z.number().min(0).max(1_000).default(1),
};

function checkOptions(options: readonly { id: string }[], ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  for (const [index, option] of options.entries()) {
    if (seen.has(option.id)) {
      ctx.addIssue({
        code: 'custom',
        path: ['options', index, 'id'],
        message: `option id "${option.id}" is used twice in this question`,
        params: { vakt: 'option-twice', id: option.id },
      });
    }
    seen.add(option.id);
  }
}

const singleChoice = z
  .strictObject({
    ...base,
    type: z.literal('single-choice'),
    options: z.array(optionSchema).min(2, 'needs at least 2 options').max(50),
  })
  .superRefine((q, ctx) => checkOptions(q.options, ctx));

const multipleChoice = z
  .strictObject({
    ...base,
    type: z.literal('multiple-choice'),
    options: z.array(optionSchema).min(2, 'needs at least 2 options').max(50),
    minSelections: z.int().min(0).default(0),
    maxSelections: z.int().min(1).optional(),
  })
  .superRefine((q, ctx) => {
    checkOptions(q.options, ctx);
    const max = q.maxSelections ?? q.options.length;
    if (max > q.options.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['maxSelections'],
        message: `is ${max} but the question has only ${q.options.length} options`,
        params: { vakt: 'more-than-options', max, options: q.options.length },
      });
    }
    if (q.minSelections > max) {
      ctx.addIssue({
        code: 'custom',
        path: ['minSelections'],
        message: `is ${q.minSelections}, more than maxSelections (${max})`,
        params: { vakt: 'min-over-max-selections', min: q.minSelections, max },
      });
    }
  });

const shortText = z.strictObject({
  ...base,
  type: z.literal('short-text'),
  maxLength: z.int().min(1).max(MAX_SHORT_TEXT).default(200),
});

const longText = z.strictObject({
  ...base,
  type: z.literal('long-text'),
  maxLength: z.int().min(1).max(MAX_LONG_TEXT).default(20_000),
});

const numeric = z
  .strictObject({
    ...base,
    type: z.literal('numeric'),
    min: z.number().optional(),
    max: z.number().optional(),
    unit: z.string().max(20).optional(),
  })
  .superRefine((q, ctx) => {
    if (q.min !== undefined && q.max !== undefined && q.min > q.max) {
      ctx.addIssue({
        code: 'custom',
        path: ['min'],
        message: `is ${q.min}, more than max (${q.max})`,
        params: { vakt: 'min-over-max', min: q.min, max: q.max },
      });
    }
  });

export const questionSchema = z.discriminatedUnion('type', [
  singleChoice,
  multipleChoice,
  shortText,
  longText,
  numeric,
]);
export type Question = z.infer<typeof questionSchema>;
export type QuestionType = Question['type'];

export const examContentSchema = z
  .strictObject({
    title: z.string().min(1).max(200),
    instructions: z.string().max(20_000).default(''),
    questions: z.array(questionSchema).min(1, 'an exam needs at least one question').max(500),
  })
  .superRefine((content, ctx) => {
    const seen = new Set<string>();
    for (const [index, question] of content.questions.entries()) {
      if (seen.has(question.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['questions', index, 'id'],
          message: `question id "${question.id}" is used twice`,
          params: { vakt: 'question-twice', id: question.id },
        });
      }
      seen.add(question.id);
    }
  });
export type ExamContentInput = z.input<typeof examContentSchema>;
export type ExamContent = z.output<typeof examContentSchema>;

/** Why `answer` cannot be an answer to `question`, or null when it can. */
export function answerProblem(question: Question, answer: AnswerValue): string | null {
  if (answer.type !== question.type) {
    return `question ${question.id} is ${question.type}, the answer is ${answer.type}`;
  }
  const chosen =
    answer.type === 'single-choice'
      ? answer.optionId === null
        ? []
        : [answer.optionId]
      : answer.type === 'multiple-choice'
        ? answer.optionIds
        : [];
  if ('options' in question) {
    const options = new Set(question.options.map((option) => option.id));
    const unknown = chosen.find((id) => !options.has(id));
    if (unknown !== undefined) return `option "${unknown}" is not in question ${question.id}`;
    if (new Set(chosen).size !== chosen.length) {
      return `an option is chosen twice in question ${question.id}`;
    }
  }
  if ('maxLength' in question && 'text' in answer && answer.text.length > question.maxLength) {
    return `the answer to ${question.id} is longer than ${question.maxLength} characters`;
  }
  return null;
}
