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

/**
 * The locale dates and times are written in for one of our languages: British order and the
 * 24-hour clock for English (6 Dec 2026, 16:32), as a Norwegian hall's clock shows it, never
 * the US month-first one.
 */
export function dateLocale(language: string): string {
  return language === 'en' ? 'en-GB' : language === 'nn' ? 'nn-NO' : 'nb-NO';
}

/** What `britishDates` needs of an i18next instance. */
interface FormatterHost {
  services: {
    formatter?: {
      addCached(
        name: string,
        make: (lng: string | undefined, options: object) => (value: Date | number) => string,
      ): void;
    };
  };
}

/** Makes "{{at, datetime(…)}}" in an i18next instance's words follow `dateLocale`. */
export function datesByLanguage(i18n: FormatterHost, fallback: string): void {
  i18n.services.formatter?.addCached('datetime', (lng, options) => {
    const format = new Intl.DateTimeFormat(dateLocale(lng ?? fallback), options);
    return (value) => format.format(value);
  });
}
