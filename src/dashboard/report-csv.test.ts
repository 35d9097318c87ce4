import { parse } from 'csv-parse/sync';
import { createInstance } from 'i18next';
import { describe, expect, it } from 'vitest';

import type { Incident } from '../common/staff-api';

import { en } from './locales/en';
import { nb } from './locales/nb';
import { nn } from './locales/nn';
import { REPORT_TIME_ZONE, separatorFor, spreadsheetCsv } from './report-csv';

const AT = Date.parse('2026-06-12T07:14:05Z'); // 09:14:05 in Oslo (summer time)

const incidents: Incident[] = [
  {
    source: 'client',
    journalId: 'j1',
    seq: 4,
    kind: 'process.started',
    severity: 'high',
    payload: { name: 'AnyDesk', category: 'remote-access', action: 'flag' },
    receivedAt: AT,
    candidateId: 'c1',
    candidateNumber: '1001',
    name: 'Åse Ødegård',
    review: {
      decision: 'confirm',
      reviewer: 'ada@skole.no',
      comment: '=HYPERLINK("http://x"); sett på skjermen\nsnakket med kandidaten',
      at: AT + 60_000,
    },
  },
  {
    source: 'client',
    journalId: 'j1',
    seq: 5,
    kind: 'focus.regained',
    severity: 'medium',
    payload: { durationMs: 12_400 },
    receivedAt: AT + 1_000,
    candidateId: 'c1',
    candidateNumber: '1001',
    name: 'Åse Ødegård',
    review: null,
  },
];

async function words(language: 'en' | 'nb' | 'nn') {
  const i18n = createInstance();
  await i18n.init({
    resources: { en: { translation: en }, nb: { translation: nb }, nn: { translation: nn } },
    lng: language,
    fallbackLng: false,
    interpolation: { escapeValue: false },
  });
  return i18n.t;
}

/** The file as Excel on a Norwegian Windows reads it: UTF-8 by its BOM, split on ";". */
function asExcelReadsIt(bytes: Buffer, delimiter: string): string[][] {
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  return parse(bytes.subarray(3).toString('utf8'), { delimiter, relax_quotes: false });
}

describe('the incident report for a spreadsheet', () => {
  it('is in Norwegian with words, Oslo times, æøå intact and ";" between columns', async () => {
    const t = await words('nb');
    const csv = spreadsheetCsv(t, 'nb', incidents, {
      separator: separatorFor('nb'),
      timeZone: REPORT_TIME_ZONE,
    });
    const rows = asExcelReadsIt(Buffer.from(csv, 'utf8'), ';');
    expect(rows).toHaveLength(3);
    for (const row of rows) expect(row).toHaveLength(12);
    expect(rows[0]).toEqual([
      'Nummer',
      'Navn',
      'Tid (Europe/Oslo)',
      'Alvorlighet',
      'Hendelse',
      'Program',
      'Kategori',
      'Sekunder borte',
      'Vurdering',
      'Vurdert av',
      'Vurdert (Europe/Oslo)',
      'Kommentar',
    ]);
    expect(rows[1]).toEqual([
      '1001',
      'Åse Ødegård',
      '12.06.2026, 09:14:05',
      'Høy',
      'Program startet: AnyDesk (fjerntilgang)',
      'AnyDesk',
      'fjerntilgang',
      '',
      'Bekreftet',
      'ada@skole.no',
      '12.06.2026, 09:15:05',
      // Shown, not run: a formula is neutralised; ";" and the line break stay in the cell.
      '\'=HYPERLINK("http://x"); sett på skjermen\nsnakket med kandidaten',
    ]);
    expect(rows[2]!.slice(3, 9)).toEqual([
      'Middels',
      'Tilbake i eksamensvinduet etter 12 s',
      '',
      '',
      '12',
      'Ikke vurdert',
    ]);
    // No code or raw JSON anywhere.
    for (const code of ['process.started', 'remote-access', 'high', 'confirm', '{"'])
      expect(csv).not.toContain(code);
  });

  it('is in nynorsk and in English with "," where those spreadsheets expect it', async () => {
    const nynorsk = spreadsheetCsv(await words('nn'), 'nn', incidents, {
      separator: separatorFor('nn'),
      timeZone: REPORT_TIME_ZONE,
    });
    expect(asExcelReadsIt(Buffer.from(nynorsk, 'utf8'), ';')[2]![8]).toBe('Ikkje vurdert');
    const english = spreadsheetCsv(await words('en'), 'en', incidents, {
      separator: separatorFor('en'),
      timeZone: REPORT_TIME_ZONE,
    });
    const rows = asExcelReadsIt(Buffer.from(english, 'utf8'), ',');
    expect(rows[1]![4]).toBe('Program started: AnyDesk (remote access)');
    expect(rows[1]![2]).toBe('12/06/2026, 09:14:05');
  });
});
