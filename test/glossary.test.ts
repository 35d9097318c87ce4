import { describe, expect, it } from 'vitest';

import { GLOSSARY, glossaryBreaches } from '../src/common/glossary';
import { en as dashboardEn } from '../src/dashboard/locales/en';
import { nb as dashboardNb } from '../src/dashboard/locales/nb';
import { nn as dashboardNn } from '../src/dashboard/locales/nn';
import { en as candidateEn } from '../src/renderer/locales/en';
import { nb as candidateNb } from '../src/renderer/locales/nb';
import { nn as candidateNn } from '../src/renderer/locales/nn';

import { localeStrings } from './support/locale-strings';

const LOCALES = {
  nb: { candidate: candidateNb, dashboard: dashboardNb },
  nn: { candidate: candidateNn, dashboard: dashboardNn },
  en: { candidate: candidateEn, dashboard: dashboardEn },
} as const;

/** One glossary for both UIs: no string uses a word the glossary forbids. */
describe('the glossary', () => {
  it.each(Object.keys(LOCALES) as (keyof typeof LOCALES)[])(
    'holds in every string of both UIs in %s',
    (language) => {
      const breaches = Object.entries(LOCALES[language]).flatMap(([ui, locale]) =>
        localeStrings(locale).flatMap(([key, text]) =>
          glossaryBreaches(language, text).map((breach) => `${ui} ${key}: ${breach}`),
        ),
      );
      expect(breaches).toEqual([]);
    },
  );

  it('catches the variants it names, and leaves the verb alone', () => {
    expect(glossaryBreaches('nb', 'Tjeneren fant 5 feil')).toEqual(['server: Tjeneren']);
    expect(glossaryBreaches('nb', 'Prøve')).toEqual(['exam: Prøve']);
    expect(glossaryBreaches('nb', 'Vakt prøver igjen; prøv igjen')).toEqual([]);
    expect(glossaryBreaches('nn', 'Kopien til serveren')).toEqual(['server: serveren']);
    // Both UIs use the glossary's own terms.
    for (const language of ['nb', 'nn'] as const) {
      const all = JSON.stringify(LOCALES[language]).toLowerCase();
      for (const { term } of Object.values(GLOSSARY[language])) expect(all).toContain(term);
    }
  });
});
