import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';

import { datesByLanguage, LANGUAGES, preferredLanguage, type Language } from '../common/languages';

import { en } from './locales/en';
import { nb } from './locales/nb';
import { nn } from './locales/nn';

const CHOSEN = 'vakt-language';

/** The language the candidate picked on this computer, if they did (it outlives a reload). */
export function chosenLanguage(): Language | null {
  try {
    const saved = localStorage.getItem(CHOSEN);
    return LANGUAGES.find((language) => language.code === saved)?.code ?? null;
  } catch {
    return null;
  }
}

/** The candidate picks a language: shown at once, and kept for a reload. */
export function chooseLanguage(code: string): void {
  try {
    localStorage.setItem(CHOSEN, code);
  } catch {
    // Storage refused: the choice holds until a reload.
  }
  void i18next.changeLanguage(code);
}

/** i18next with react-i18next: plurals, numbers and dates per language through Intl. */
export function startI18n(
  language: Language = chosenLanguage() ?? preferredLanguage(navigator.languages),
) {
  void i18next.use(initReactI18next).init({
    resources: { en: { translation: en }, nb: { translation: nb }, nn: { translation: nn } },
    lng: language,
    fallbackLng: 'en',
    // React escapes what it renders; escaping twice would show &amp; to the candidate.
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  // "{{opensAt, datetime(…)}}": 09:20 and 1 June 2027 in English too, as the hall's clock says.
  datesByLanguage(i18next, language);
  document.documentElement.lang = language;
  i18next.on('languageChanged', (code) => {
    document.documentElement.lang = code;
  });
  return i18next;
}
