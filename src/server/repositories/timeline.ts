import type { Kysely } from 'kysely';

import type { Severity, TimelineEntry } from '../../common/staff-api';
import type { Database } from '../db/schema';

import { reviewsBy } from './reviews';

/**
 * Every event a candidate's journals recorded (not each answer saved) and everything the server flagged about them, in
 * the order the server received it, each with its reviews. Severity was scored at ingest.
 */
export async function timeline(
  db: Kysely<Database>,
  candidateId: string,
): Promise<TimelineEntry[]> {
  const records = await db
    .selectFrom('records')
    .innerJoin('journals', 'journals.id', 'records.journal_id')
    .select([
      'records.journal_id',
      'records.seq',
      'records.kind',
      'records.payload',
      'records.client_at',
      'records.not_before',
      'records.received_at',
      'records.severity',
      'journals.started_seq',
      'journals.status',
    ])
    .where('journals.candidate_id', '=', candidateId)
    // Answers are the exam, not events; nonces are sync bookkeeping (their bounds show as
    // notBefore on the records that follow).
    .where('records.kind', 'not in', ['sync.nonce', 'answer.saved'])
    // Repeats are counted on their first flag (below), not listed one by one.
    .where('records.grouped_into', 'is', null)
    .orderBy('records.received_at')
    .orderBy('records.journal_id')
    .orderBy('records.seq')
    .execute();
  const flags = await db
    .selectFrom('server_flags')
    .selectAll()
    .where('candidate_id', '=', candidateId)
    .orderBy('at')
    .execute();
  const reviews = await reviewsBy(db, { candidateId });
  const repeats = await db
    .selectFrom('records')
    .innerJoin('journals', 'journals.id', 'records.journal_id')
    .select(['records.journal_id', 'records.grouped_into'])
    .select((eb) => [
      eb.fn.countAll<number>().as('count'),
      eb.fn.max('records.received_at').as('last_at'),
    ])
    .where('journals.candidate_id', '=', candidateId)
    .where('records.grouped_into', 'is not', null)
    .groupBy(['records.journal_id', 'records.grouped_into'])
    .execute();
  const repeatOf = new Map(
    repeats.map((row) => [
      `${row.journal_id}:${row.grouped_into}`,
      { count: Number(row.count), lastAt: Number(row.last_at) },
    ]),
  );

  const entries: TimelineEntry[] = records.map((record) => ({
    source: 'client',
    journalId: record.journal_id,
    seq: record.seq,
    kind: record.kind,
    severity: (record.severity ?? 'info') as Severity,
    payload: JSON.parse(record.payload) as unknown,
    clientAt: record.client_at,
    notBefore: record.not_before,
    receivedAt: record.received_at,
    clockSuspect:
      record.client_at > record.received_at ||
      (record.not_before !== null && record.client_at < record.not_before),
    beforeStart: isBeforeStart(record),
    // This flag and its repeats (a program started again): how many, and the last one.
    repeats: 1 + (repeatOf.get(`${record.journal_id}:${record.seq}`)?.count ?? 0),
    lastAt: repeatOf.get(`${record.journal_id}:${record.seq}`)?.lastAt ?? null,
    reviews: reviews.of(record.journal_id, record.seq),
  }));
  for (const flag of flags) {
    entries.push({
      source: 'server',
      journalId: flag.journal_id,
      seq: flag.seq,
      kind: flag.kind,
      severity: flag.severity as Severity,
      payload: { detail: flag.detail },
      clientAt: null,
      notBefore: null,
      receivedAt: flag.at,
      clockSuspect: false,
      beforeStart: false,
      repeats: 1,
      lastAt: null,
      reviews: reviews.of(flag.journal_id, flag.seq),
    });
  }
  // Stable: records keep their order; a server flag follows what was received with it.
  return entries.sort((a, b) => a.receivedAt - b.receivedAt);
}

/** Whether (journalId, seq) names something of this candidate's that can be reviewed. */
export async function isReviewable(
  db: Kysely<Database>,
  candidateId: string,
  journalId: string,
  seq: number,
): Promise<boolean> {
  const record = await db
    .selectFrom('records')
    .innerJoin('journals', 'journals.id', 'records.journal_id')
    .select('records.seq')
    .where('records.journal_id', '=', journalId)
    .where('records.seq', '=', seq)
    .where('journals.candidate_id', '=', candidateId)
    .executeTakeFirst();
  if (record) return true;
  const flag = await db
    .selectFrom('server_flags')
    .select('id')
    .where('journal_id', '=', journalId)
    .where('seq', '=', seq)
    .where('candidate_id', '=', candidateId)
    .executeTakeFirst();
  return flag !== undefined;
}

/**
 * Whether a record was made before the exam started: before its journal's exam.started, or
 * on a journal still in its checks (candidate-rows.ts counts by the same rule, in SQL).
 */
export function isBeforeStart(record: {
  seq: number;
  started_seq: number | null;
  status: string | null;
}): boolean {
  if (record.started_seq !== null) return record.seq < record.started_seq;
  return (record.status ?? 'preflight') === 'preflight';
}
