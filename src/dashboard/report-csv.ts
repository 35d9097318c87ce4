import type { TFunction } from 'i18next';

import { dateLocale } from '../common/languages';
import type { Incident } from '../common/staff-api';

import { categoryWords, describeEvent } from './describe';

/** `;` is what Excel on a Norwegian Windows splits on; `,` elsewhere. */
export type Separator = ';' | ',';

/** The separator a spreadsheet in this language expects. */
export function separatorFor(language: string): Separator {
  return language === 'nb' || language === 'nn' ? ';' : ',';
}

/** The exams' own time zone: the spreadsheet's times are the hall's, named in the header. */
export const REPORT_TIME_ZONE = 'Europe/Oslo';

/**
 * A field as a spreadsheet reads it: a leading = + - @ or control character is shown, not run
 * as a formula (as the server's CSV does), and a field holding the separator, a quote or a line
 * break is quoted.
 */
function field(value: string, separator: Separator): string {
  const shown = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  if (!shown.includes(separator) && !/["\r\n]/.test(shown)) return shown;
  return `"${shown.replaceAll('"', '""')}"`;
}

const text = (value: unknown) => (typeof value === 'string' ? value : '');

/**
 * The incident report as a spreadsheet opens it (issue #38): in the staff member's language and
 * time zone, words instead of codes, the payload's fields that matter in their own columns, a
 * UTF-8 byte-order mark so Excel reads æøå, and the separator the language's Excel expects.
 * The server's report.csv stays as the machine format, for scripts.
 */
export function spreadsheetCsv(
  t: TFunction,
  language: string,
  incidents: readonly Incident[],
  options: { separator: Separator; timeZone: string },
): string {
  const { separator, timeZone } = options;
  const time = new Intl.DateTimeFormat(dateLocale(language), {
    dateStyle: 'short',
    timeStyle: 'medium',
    timeZone,
  });
  const header = [
    t('table.columns.candidateNumber'),
    t('table.columns.name'),
    t('report.csv.time', { zone: timeZone }),
    t('candidate.severity'),
    t('candidate.event'),
    t('report.csv.program'),
    t('report.csv.category'),
    t('report.csv.secondsAway'),
    t('candidate.review'),
    t('report.csv.reviewer'),
    t('report.csv.reviewedAt', { zone: timeZone }),
    t('report.csv.comment'),
  ];
  const rows = incidents.map((incident) => {
    const payload = (incident.payload ?? {}) as Record<string, unknown>;
    const away =
      incident.kind === 'focus.regained' && typeof payload.durationMs === 'number'
        ? String(Math.round(payload.durationMs / 1000))
        : '';
    const { review } = incident;
    return [
      incident.candidateNumber,
      incident.name,
      time.format(incident.receivedAt),
      t(`severity.${incident.severity}`),
      describeEvent(t, incident),
      text(payload.name),
      payload.category === undefined ? '' : categoryWords(t, payload.category),
      away,
      review
        ? t(`candidate.decisions.${review.decision}`, { defaultValue: review.decision })
        : t('report.csv.unreviewed'),
      review?.reviewer ?? '',
      review ? time.format(review.at) : '',
      review?.comment ?? '',
    ];
  });
  const lines = [header, ...rows].map((row) =>
    row.map((value) => field(value, separator)).join(separator),
  );
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
