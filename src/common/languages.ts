/** The languages of both UIs (candidate and dashboard); the first is the default. */
export const LANGUAGES = [
  { code: 'nb', name: 'Norsk bokmål' },
  { code: 'nn', name: 'Norsk nynorsk' },
  { code: 'en', name: 'English' },
] as const;
export type Language = (typeof LANGUAGES)[number]['code'];

export function isLanguage(value: unknown): value is Language {
  return LANGUAGES.some((language) => language.code === value);
}

/** The language the browser (navigator.languages) prefers, among ours. */
export function preferredLanguage(languages: readonly string[]): Language {
  for (const tag of languages) {
    const base = tag.toLowerCase().split('-')[0];
    if (base === 'nn') return 'nn';
    if (base === 'nb' || base === 'no') return 'nb';
    if (base === 'en') return 'en';
  }
  return 'nb';
}
