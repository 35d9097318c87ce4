import { CsvError as ParseError, parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

/**
 * CSV for candidate imports and reports, with the maintained csv-parse and csv-stringify;
 * what is ours is the policy: UTF-8 only, the separator a Norwegian spreadsheet chose, and
 * fields that cannot run as formulas.
 */

export class CsvError extends Error {
  override name = 'CsvError';

  constructor(
    message: string,
    /** Why, for the dashboard's words (BAD_CSV_REASONS). */
    readonly reason: 'not-utf8' | 'unclosed-quote' | 'invalid' = 'invalid',
  ) {
    super(message);
  }
}

/** Decodes an uploaded file, refusing anything that is not UTF-8 (with or without a BOM). */
export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new CsvError(
      'The file is not UTF-8 text. Save it as "CSV UTF-8" and upload it again.',
      'not-utf8',
    );
  }
}

export interface CsvRow {
  /** The file's line the row starts on, from 1. */
  line: number;
  fields: string[];
}

/**
 * Rows of fields, each with the line it starts on; quoted fields may hold separators, quotes
 * ("") and line breaks; blank rows are left out. The separator is "," or, as spreadsheets in
 * Norway save it, ";" — whichever the first line uses.
 */
export function parseCsv(text: string): CsvRow[] {
  const firstLine = text.slice(0, text.search(/\r|\n|$/));
  const delimiter = firstLine.includes(';') && !firstLine.includes(',') ? ';' : ',';
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      delimiter,
      bom: true,
      info: true,
      relax_column_count: true,
      // A stray quote inside a field is kept as text, as spreadsheets write it.
      relax_quotes: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    if (error.code === 'CSV_QUOTE_NOT_CLOSED')
      throw new CsvError(
        'A quoted field is never closed: check for a stray " in the file.',
        'unclosed-quote',
      );
    throw new CsvError(`The file is not valid CSV: ${error.message}`);
  }
  return records
    .map(({ record, info }) => ({ line: firstLineOf(info.lines, record), fields: record }))
    .filter((row) => row.fields.some((field) => field.trim() !== ''));
}

/** csv-parse counts the line a record ends on; a quoted field with line breaks starts earlier. */
function firstLineOf(endLine: number, record: readonly string[]): number {
  let breaks = 0;
  for (const field of record) breaks += field.split(/\r\n|\r|\n/).length - 1;
  return endLine - breaks;
}

/**
 * A field of a CSV a person will open in a spreadsheet: a leading = + - @ or control
 * character is neutralised with an apostrophe, so it is shown, not run as a formula.
 */
function neutralised(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** Every field quoted, CRLF line ends, formulas neutralised. */
export function toCsv(rows: readonly (readonly (string | number | boolean | null)[])[]): string {
  return stringify(
    rows.map((row) => row.map((value) => neutralised(value === null ? '' : String(value)))),
    { quoted: true, quoted_empty: true, record_delimiter: '\r\n' },
  );
}
