import { createInstance } from 'i18next';
import { renderToStaticMarkup } from 'react-dom/server';
import { I18nextProvider, initReactI18next } from 'react-i18next';
import { describe, expect, it } from 'vitest';

import type { AnswerValue } from '../../common/answers';
import { questionSchema, type Question } from '../../common/content';
import { en } from '../locales/en';
import { nb } from '../locales/nb';

import { QuestionInput } from './QuestionInput';

async function render(question: Question, value: AnswerValue, language: 'en' | 'nb' = 'en') {
  const i18n = createInstance();
  await i18n.use(initReactI18next).init({
    resources: { en: { translation: en }, nb: { translation: nb } },
    lng: language,
    interpolation: { escapeValue: false },
  });
  return renderToStaticMarkup(
    <I18nextProvider i18n={i18n}>
      <QuestionInput question={question} value={value} onChange={() => undefined} />
    </I18nextProvider>,
  );
}

const question = (input: unknown) => questionSchema.parse(input);

describe('question input', () => {
  it('shows how much of a short text is used, and stops typing at the maximum', async () => {
    const html = await render(
      question({ id: 'q', type: 'short-text', prompt: 'Word?', maxLength: 40 }),
      { type: 'short-text', text: 'guard' },
    );
    expect(html).toContain('maxLength="40"');
    expect(html).toContain('5 of 40 characters');
  });

  it('counts words and characters in a long text, in the language of the screen', async () => {
    const essay = question({ id: 'e', type: 'long-text', prompt: 'Why?', maxLength: 5000 });
    const text = { type: 'long-text', text: 'Titles hold private things.' } as const;
    expect(await render(essay, text)).toContain('4 words · 27 of 5,000 characters');
    // Norwegian writes the thousands with a (non-breaking) space.
    expect(await render(essay, text, 'nb')).toMatch(/4 ord · 27 av 5\s000 tegn/u);
  });

  it('says when a numeric answer is not a number or outside the range', async () => {
    const boiling = question({ id: 'b', type: 'numeric', prompt: 'Boils?', min: 0, max: 1000 });
    expect(await render(boiling, { type: 'numeric', text: 'hot' })).toContain(
      'aria-invalid="true"',
    );
    expect(await render(boiling, { type: 'numeric', text: '2000' })).toContain(
      'The number is outside the range.',
    );
    const fine = await render(boiling, { type: 'numeric', text: '100,5' }, 'nb');
    expect(fine).toContain('aria-invalid="false"');
    expect(fine).toMatch(/Et tall fra 0 til 1\s000/u);
  });

  it('disables the options left once the most that may be chosen are chosen', async () => {
    const primes = question({
      id: 'p',
      type: 'multiple-choice',
      prompt: 'Primes?',
      options: [
        { id: 'a', text: '2' },
        { id: 'b', text: '9' },
        { id: 'c', text: '11' },
      ],
      maxSelections: 2,
    });
    const html = await render(primes, { type: 'multiple-choice', optionIds: ['a', 'c'] });
    expect(html).toContain('Choose between 0 and 2.');
    expect(html.match(/disabled=""/g)).toHaveLength(1);
  });
});
