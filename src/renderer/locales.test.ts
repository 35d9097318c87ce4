import { createInstance } from 'i18next';
import { describe, expect, it } from 'vitest';

import { PROBLEM_CODES } from '../common/problems';

import { en } from './locales/en';
import { nb } from './locales/nb';
import { nn } from './locales/nn';

/** Every code main can send has words in every language (a missing key would show the key). */
describe('the candidate UI in three languages', () => {
  it.each(['en', 'nb', 'nn'] as const)('words every problem code in %s', async (language) => {
    const i18n = createInstance();
    await i18n.init({
      resources: { en: { translation: en }, nb: { translation: nb }, nn: { translation: nn } },
      lng: language,
      fallbackLng: false,
    });
    for (const code of PROBLEM_CODES) {
      const params = { errno: 'EIO', minimumVersion: '2.0.0', serverCode: 'gone' };
      const words = i18n.t(`problems.${code}`, params);
      expect(words, code).not.toBe(`problems.${code}`);
      expect(words, code).not.toMatch(/\{\{/);
    }
    expect(i18n.t('exam.waiting', { count: 1 })).not.toBe(i18n.t('exam.waiting', { count: 2 }));
  });

  it('has the same keys in every language', () => {
    const keys = (value: object, prefix = ''): string[] =>
      Object.entries(value).flatMap(([key, inner]) =>
        typeof inner === 'object' ? keys(inner as object, `${prefix}${key}.`) : [`${prefix}${key}`],
      );
    expect(keys(nb).sort()).toEqual(keys(en).sort());
    expect(keys(nn).sort()).toEqual(keys(en).sort());
  });
});
