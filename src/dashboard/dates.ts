import { useTranslation } from 'react-i18next';

import { dateLocale } from '../common/languages';

/** A day as YYYY-MM-DD from a date input, as the start of that day (UTC). */
export function dayOf(text: string): number {
  return Date.parse(`${text}T00:00:00Z`);
}

/** Tomorrow as YYYY-MM-DD (UTC): the earliest day a deletion or review date may name. */
export function tomorrow(now = Date.now()): string {
  return new Date(now + 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
}

/** Retention dates and review dates are days in UTC: shown as such, whatever the browser's zone. */
export function useDayFormat(): Intl.DateTimeFormat {
  const { i18n } = useTranslation();
  return new Intl.DateTimeFormat(dateLocale(i18n.language), {
    dateStyle: 'medium',
    timeZone: 'UTC',
  });
}
