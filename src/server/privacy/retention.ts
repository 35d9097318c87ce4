import { sql, type Kysely, type RawBuilder } from 'kysely';

import type { Storage } from '../db/database';
import type { Database } from '../db/schema';

import { removeMonitoring } from './grades-final';

/** The day a school year ends (UTC), e.g. 31 July. */
export interface SchoolYearEnd {
  month: number;
  day: number;
}

export const DEFAULT_SCHOOL_YEAR_END: SchoolYearEnd = { month: 7, day: 31 };

/** Parses VAKT_SCHOOL_YEAR_END ("MM-DD"); throws a sentence on anything else. */
export function parseSchoolYearEnd(text: string): SchoolYearEnd {
  const match = /^(\d{2})-(\d{2})$/.exec(text.trim());
  const month = Number(match?.[1]);
  const day = Number(match?.[2]);
  const valid =
    match !== null &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= new Date(Date.UTC(2001, month, 0)).getUTCDate();
  if (!valid) throw new Error(`a school year's last day as MM-DD (e.g. 07-31), not "${text}"`);
  return { month, day };
}

/**
 * When an exam's data goes: its own date where an admin set one, else the first moment after
 * the last day of the school year the exam closes in.
 */
export function retentionDate(
  exam: { closes_at: number; retain_until: number | null },
  end: SchoolYearEnd,
): number {
  if (exam.retain_until !== null) return exam.retain_until;
  const closes = new Date(exam.closes_at);
  const year = closes.getUTCFullYear();
  const thisYear = Date.UTC(year, end.month - 1, end.day + 1);
  return exam.closes_at < thisYear ? thisYear : Date.UTC(year + 1, end.month - 1, end.day + 1);
}

/** The tables retention deletes from, in an order foreign keys allow. */
const TABLES = [
  'flag_reviews',
  'records',
  'quarantine',
  'answers',
  'submissions',
  'handovers',
  'sessions',
  'hand_ins',
  'server_flags',
  'instructions',
  'journals',
  'candidates',
] as const;
type Table = (typeof TABLES)[number];
/** Tables whose rows belong to a journal, not directly to a candidate. */
const BY_JOURNAL = new Set<Table>(['flag_reviews', 'records', 'quarantine']);
export type DeletedRows = Record<Table, number>;

export interface ExamRetention {
  examId: string;
  code: string;
  retainUntil: number;
  /**
   * Why the exam is in the report: its retention date has passed (its candidates' data goes),
   * or only its grades are final (their raw monitoring events go).
   */
  reason: 'retention' | 'grades-final';
  /** The whole exam is under an open legal hold: nothing deleted. */
  examHeld: boolean;
  /** Candidates kept because a hold names them. */
  heldCandidates: number;
  /** Candidates kept because their submission has not been handed over yet. */
  awaitingHandover: number;
  rows: DeletedRows;
  /** Monitoring events whose payload was emptied because the grades are final. */
  monitoringRemoved: number;
}

export interface RetentionReport {
  dryRun: boolean;
  exams: ExamRetention[];
  /** Rows deleted (or, in a dry run, that would be) over every exam. */
  total: number;
  /** Monitoring events emptied (or that would be) over every exam. */
  monitoringRemoved: number;
}

/** Ids per statement, well under SQLite's and PostgreSQL's parameter limits. */
const CHUNK = 500;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

/**
 * Deletes every candidate's data of each exam whose retention date has passed, and the raw
 * monitoring events of each exam whose grades an admin declared final, except what an open
 * legal hold covers (and, for deletion, a submission not yet handed over): one transaction per
 * exam, then the freed space scrubbed (SQLite: secure_delete is on, and a TRUNCATE checkpoint
 * empties the WAL; PostgreSQL: VACUUM of the tables). The exam itself (questions, policy,
 * window) stays: it holds nothing personal. With `dryRun`, counts what would go and changes
 * nothing.
 */
export async function runRetention(
  storage: Storage,
  options: { now: number; schoolYearEnd: SchoolYearEnd; dryRun: boolean },
): Promise<RetentionReport> {
  const { db } = storage;
  const exams = await db
    .selectFrom('exams')
    .select(['id', 'code', 'closes_at', 'retain_until', 'grades_final_at'])
    .orderBy('closes_at')
    .execute();
  const report: RetentionReport = {
    dryRun: options.dryRun,
    exams: [],
    total: 0,
    monitoringRemoved: 0,
  };
  for (const exam of exams) {
    const retainUntil = retentionDate(exam, options.schoolYearEnd);
    const reason =
      retainUntil <= options.now
        ? 'retention'
        : exam.grades_final_at !== null && exam.grades_final_at <= options.now
          ? 'grades-final'
          : null;
    if (reason === null) continue;
    const done = await db.transaction().execute(async (trx) => {
      const { examHeld, held, free } = await unheldCandidates(trx, exam.id);
      if (reason === 'grades-final') {
        let monitoringRemoved = 0;
        for (const ids of chunks(free))
          monitoringRemoved += await removeMonitoring(trx, ids, options.dryRun);
        // A hold on the whole exam kept every event: nothing was removed to report.
        if (!options.dryRun && !examHeld) {
          await trx
            .updateTable('exams')
            .set({ monitoring_removed_at: options.now })
            .where('id', '=', exam.id)
            .where('monitoring_removed_at', 'is', null)
            .execute();
        }
        return {
          examHeld,
          heldCandidates: held,
          awaitingHandover: 0,
          rows: noRows(),
          monitoringRemoved,
        };
      }
      // A submission not yet handed over downstream is not deleted under it.
      const undelivered = new Set<string>();
      for (const ids of chunks(free)) {
        const rows = await trx
          .selectFrom('handovers')
          .select('candidate_id')
          .where('candidate_id', 'in', ids)
          .where('delivered_at', 'is', null)
          .where('abandoned_at', 'is', null)
          .execute();
        for (const row of rows) undelivered.add(row.candidate_id);
      }
      const candidates = free.filter((id) => !undelivered.has(id));
      const rows = await deleteCandidates(trx, candidates, options.dryRun);
      return {
        examHeld,
        heldCandidates: held,
        awaitingHandover: undelivered.size,
        rows,
        monitoringRemoved: 0,
      };
    });
    const total = Object.values(done.rows).reduce((sum, n) => sum + n, 0);
    const kept = done.examHeld || done.heldCandidates > 0 || done.awaitingHandover > 0;
    const listed = reason === 'retention' ? total > 0 || kept : done.monitoringRemoved > 0;
    if (!listed) continue;
    report.exams.push({ examId: exam.id, code: exam.code, retainUntil, reason, ...done });
    report.total += total;
    report.monitoringRemoved += done.monitoringRemoved;
  }
  if (!options.dryRun && report.total + report.monitoringRemoved > 0) await scrub(storage);
  return report;
}

/**
 * The exam's candidates no open legal hold keeps (none when a hold covers the whole exam), and
 * how many a hold keeps.
 */
async function unheldCandidates(
  trx: Kysely<Database>,
  examId: string,
): Promise<{ examHeld: boolean; held: number; free: string[] }> {
  const holds = await trx
    .selectFrom('legal_holds')
    .select('candidate_id')
    .where('exam_id', '=', examId)
    .where('released_at', 'is', null)
    .execute();
  const examHeld = holds.some((hold) => hold.candidate_id === null);
  if (examHeld) return { examHeld, held: 0, free: [] };
  const held = new Set(holds.map((hold) => hold.candidate_id));
  const all = await trx
    .selectFrom('candidates')
    .select('id')
    .where('exam_id', '=', examId)
    .execute();
  return { examHeld, held: held.size, free: all.map(({ id }) => id).filter((id) => !held.has(id)) };
}

function noRows(): DeletedRows {
  return Object.fromEntries(TABLES.map((table) => [table, 0])) as DeletedRows;
}

/** Deletes (or counts) every row of `candidates` and of their journals. */
async function deleteCandidates(
  trx: Kysely<Database>,
  candidates: readonly string[],
  dryRun: boolean,
): Promise<DeletedRows> {
  const rows = noRows();
  for (const ids of chunks(candidates)) {
    const journals = (
      await trx.selectFrom('journals').select('id').where('candidate_id', 'in', ids).execute()
    ).map(({ id }) => id);
    const ofJournals = sql`journal_id in (${sql.join(journals.length > 0 ? journals : [''])})`;
    const ofCandidates = sql`candidate_id in (${sql.join(ids)})`;
    for (const table of TABLES) {
      const where =
        table === 'candidates'
          ? sql`id in (${sql.join(ids)})`
          : BY_JOURNAL.has(table)
            ? ofJournals
            : table === 'hand_ins'
              ? // Also files that never proved whose they are but came from these laptops.
                sql`${ofCandidates} or ${ofJournals}`
              : ofCandidates;
      rows[table] += await deleteWhere(trx, table, where, dryRun);
    }
  }
  return rows;
}

async function deleteWhere(
  trx: Kysely<Database>,
  table: Table,
  where: RawBuilder<unknown>,
  dryRun: boolean,
): Promise<number> {
  if (dryRun) {
    const { rows } = await sql<{
      n: number | string;
    }>`select count(*) as n from ${sql.table(table)} where ${where}`.execute(trx);
    return Number(rows[0]?.n ?? 0);
  }
  const result = await sql`delete from ${sql.table(table)} where ${where}`.execute(trx);
  return Number(result.numAffectedRows ?? 0);
}

/** Makes deleted rows unreadable from the database's files. */
async function scrub(storage: Storage): Promise<void> {
  if (storage.dialect === 'sqlite') {
    await sql`pragma wal_checkpoint(TRUNCATE)`.execute(storage.db);
    return;
  }
  // VACUUM cannot run inside a transaction; Kysely runs this on a pooled connection.
  await sql.raw(`vacuum ${TABLES.join(', ')}`).execute(storage.db);
}
