import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';

import { en } from './locales/en';
import { nb } from './locales/nb';
import { nn } from './locales/nn';

/** The candidate's languages; the first is the default when the OS speaks none of them. */
export const LANGUAGES = [
  { code: 'nb', name: 'Norsk bokmål' },
  { code: 'nn', name: 'Norsk nynorsk' },
  { code: 'en', name: 'English' },
] as const;
export type Language = (typeof LANGUAGES)[number]['code'];

/** The language the OS (Chromium's navigator.languages) prefers, among ours. */
export function preferredLanguage(languages: readonly string[]): Language {
  for (const tag of languages) {
    const base = tag.toLowerCase().split('-')[0];
    if (base === 'nn') return 'nn';
    if (base === 'nb' || base === 'no') return 'nb';
    if (base === 'en') return 'en';
  }
  return 'nb';
}

/** i18next with react-i18next: plurals, numbers and dates per language through Intl. */
export function startI18n(language: Language = preferredLanguage(navigator.languages)) {
  void i18next.use(initReactI18next).init({
    resources: { en: { translation: en }, nb: { translation: nb }, nn: { translation: nn } },
    lng: language,
    fallbackLng: 'en',
    // React escapes what it renders; escaping twice would show &amp; to the candidate.
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  document.documentElement.lang = language;
  i18next.on('languageChanged', (code) => {
    document.documentElement.lang = code;
  });
  return i18next;
}
