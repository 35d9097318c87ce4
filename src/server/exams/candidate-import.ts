import type { Kysely } from 'kysely';

import type { ImportReport, ImportRowProblem } from '../../common/staff-api';
import { CsvError, decodeUtf8, parseCsv, type CsvRow } from '../csv';
import type { Database } from '../db/schema';
import { HttpError } from '../errors';
import { insertCandidate } from '../repositories/candidates';

import { personalCodeProblem } from './personal-code';

const REQUIRED = ['candidate_number', 'name', 'personal_code'] as const;

/** Each refusal in English, for scripts and the CLI; the dashboard words the code itself. */
const ROW_MESSAGES: Record<ImportRowProblem, (candidateNumber: string) => string> = {
  'candidate-number': () => 'candidate_number must be 1–32 letters, digits or "-"',
  name: () => 'name must be 1–200 characters',
  'personal-code-long': () => 'personal_code must be at most 64 characters',
  'personal-code-short': () => 'personal_code must be at least 8 characters',
  'personal-code-digits': () => 'personal_code of digits only must be at least 10 digits',
  'personal-code-repeats': () => 'personal_code must not repeat one or two characters',
  'personal-code-has-number': () => 'personal_code must not contain the candidate number',
  'extra-minutes': () => 'extra_minutes must be a whole number from 0 to 1440',
  'already-in-exam': (number) => `candidate ${number} is already in this exam`,
};

/**
 * Imports candidates from CSV (header: candidate_number,name,personal_code[,extra_minutes]).
 * Good rows are imported, each bad row is reported by line with the reason; a file that is not
 * UTF-8 or lacks a column is refused whole.
 */
export async function importCandidates(
  db: Kysely<Database>,
  examId: string,
  bytes: Uint8Array,
): Promise<ImportReport> {
  let rows: CsvRow[];
  try {
    rows = parseCsv(decodeUtf8(bytes));
  } catch (error) {
    if (error instanceof CsvError)
      throw new HttpError(400, 'bad-csv', error.message, {}, { reason: error.reason });
    throw error;
  }
  const header = (rows[0]?.fields ?? []).map((h) => h.trim().toLowerCase());
  const missing = REQUIRED.filter((column) => !header.includes(column));
  if (missing.length > 0) {
    throw new HttpError(
      400,
      'bad-csv',
      `The first line must name the columns; missing: ${missing.join(', ')}. Expected: candidate_number,name,personal_code[,extra_minutes]`,
      {},
      { reason: 'columns', missing: missing.join(', ') },
    );
  }
  const column = (name: string) => header.indexOf(name);
  const existing = new Set(
    (
      await db
        .selectFrom('candidates')
        .select('candidate_number')
        .where('exam_id', '=', examId)
        .execute()
    ).map((r) => r.candidate_number),
  );
  const report: ImportReport = { imported: 0, errors: [] };
  for (const { line, fields: row } of rows.slice(1)) {
    const number = (row[column('candidate_number')] ?? '').trim();
    const name = (row[column('name')] ?? '').trim();
    const personalCode = (row[column('personal_code')] ?? '').trim();
    const extraText =
      column('extra_minutes') >= 0 ? (row[column('extra_minutes')] ?? '').trim() : '';
    const extraMinutes = extraText === '' ? 0 : Number(extraText);
    const problem: ImportRowProblem | null = !/^[A-Za-z0-9-]{1,32}$/.test(number)
      ? 'candidate-number'
      : name === '' || name.length > 200
        ? 'name'
        : (personalCodeProblem(personalCode, number) ??
          (!Number.isInteger(extraMinutes) || extraMinutes < 0 || extraMinutes > 1440
            ? 'extra-minutes'
            : existing.has(number)
              ? 'already-in-exam'
              : null));
    if (problem) {
      const params: Record<string, string> =
        problem === 'already-in-exam' ? { candidateNumber: number } : {};
      report.errors.push({ line, code: problem, params, message: ROW_MESSAGES[problem](number) });
      continue;
    }
    await insertCandidate(db, examId, {
      candidateNumber: number,
      name,
      personalCode,
      extraMinutes,
    });
    existing.add(number);
    report.imported += 1;
  }
  return report;
}
