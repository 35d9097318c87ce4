import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';

import { datesByLanguage, isLanguage, preferredLanguage, type Language } from '../common/languages';

import { en } from './locales/en';
import { nb } from './locales/nb';
import { nn } from './locales/nn';

const STORED = 'vakt.dashboard.language';

/** The staff member's last choice on this browser, else what the browser prefers. */
export function startingLanguage(): Language {
  const stored = localStorage.getItem(STORED);
  return isLanguage(stored) ? stored : preferredLanguage(navigator.languages);
}

/** The same i18next setup as the candidate UI, with the dashboard's words. */
export function startI18n(language: Language = startingLanguage()) {
  void i18next.use(initReactI18next).init({
    resources: { en: { translation: en }, nb: { translation: nb }, nn: { translation: nn } },
    lng: language,
    fallbackLng: 'en',
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  // "{{at, datetime}}" in the words: British order for English, as everywhere on the page.
  datesByLanguage(i18next, language);
  document.documentElement.lang = language;
  i18next.on('languageChanged', (code) => {
    document.documentElement.lang = code;
    if (isLanguage(code)) localStorage.setItem(STORED, code);
  });
  return i18next;
}
