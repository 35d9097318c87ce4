import { describe, expect, it } from 'vitest';

import { parseNumericAnswer } from './answers';
import { answerProblem, examContentSchema, type Question } from './content';
import { parseWith } from './validation';

const question = (extra: object) => ({ id: 'q1', prompt: 'Pick one', ...extra });

function problems(input: unknown): string[] {
  const parsed = parseWith(examContentSchema, input, 'content');
  return parsed.ok ? [] : parsed.problems;
}

describe('exam content', () => {
  it('accepts every question type', () => {
    const content = examContentSchema.parse({
      title: 'Demo',
      questions: [
        question({
          id: 'a',
          type: 'single-choice',
          options: [
            { id: 'x', text: 'X' },
            { id: 'y', text: 'Y' },
          ],
        }),
        question({
          id: 'b',
          type: 'multiple-choice',
          options: [
            { id: 'x', text: 'X' },
            { id: 'y', text: 'Y' },
          ],
        }),
        question({ id: 'c', type: 'short-text' }),
        question({ id: 'd', type: 'long-text' }),
        question({ id: 'e', type: 'numeric', min: 0, max: 10 }),
      ],
    });
    expect(content.questions.map((q) => q.type)).toEqual([
      'single-choice',
      'multiple-choice',
      'short-text',
      'long-text',
      'numeric',
    ]);
  });

  it('explains each malformed question by its position', () => {
    const found = problems({
      title: 'Broken',
      questions: [
        question({ type: 'single-choice', options: [{ id: 'x', text: 'X' }] }),
        question({ type: 'essay' }),
        question({ id: 'q3', type: 'numeric', min: 5, max: 1 }),
        question({
          id: 'q4',
          type: 'multiple-choice',
          options: [
            { id: 'x', text: 'X' },
            { id: 'x', text: 'Y' },
          ],
        }),
      ],
    });
    expect(found).toEqual([
      'content.questions[0].options: needs at least 2 options',
      expect.stringMatching(/^content\.questions\[1\]\.type: .*single-choice/),
      'content.questions[2].min: is 5, more than max (1)',
      'content.questions[3].options[1].id: option id "x" is used twice in this question',
    ]);
  });

  it('refuses duplicate question ids and an exam without questions', () => {
    const twice = question({ type: 'short-text' });
    expect(problems({ title: 'T', questions: [twice, twice] })).toEqual([
      'content.questions[1].id: question id "q1" is used twice',
    ]);
    expect(problems({ title: 'T', questions: [] })).toEqual([
      'content.questions: an exam needs at least one question',
    ]);
  });
});

describe('answers against questions', () => {
  const choice = examContentSchema.parse({
    title: 'T',
    questions: [
      question({
        type: 'multiple-choice',
        options: [
          { id: 'x', text: 'X' },
          { id: 'y', text: 'Y' },
        ],
      }),
    ],
  }).questions[0] as Question;

  it('accepts known options and refuses unknown or repeated ones', () => {
    expect(answerProblem(choice, { type: 'multiple-choice', optionIds: ['x', 'y'] })).toBeNull();
    expect(answerProblem(choice, { type: 'multiple-choice', optionIds: ['z'] })).toMatch(/"z"/);
    expect(answerProblem(choice, { type: 'multiple-choice', optionIds: ['x', 'x'] })).toMatch(
      /twice/,
    );
    expect(answerProblem(choice, { type: 'short-text', text: 'x' })).toMatch(/is multiple-choice/);
  });

  it('reads numeric answers with a decimal comma or point', () => {
    expect(parseNumericAnswer('3,5')).toBe(3.5);
    expect(parseNumericAnswer(' -2.25 ')).toBe(-2.25);
    expect(parseNumericAnswer('1e3')).toBe(1000);
    expect(parseNumericAnswer('abc')).toBeNull();
    expect(parseNumericAnswer('')).toBeNull();
  });
});
