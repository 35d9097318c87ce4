import type { Kysely } from 'kysely';

import { TIMELINE_PAGE, type Severity, type TimelineEntry } from '../../common/staff-api';
import type { Database } from '../db/schema';

import { reviewsBy } from './reviews';

/** Which part of a timeline to read. */
export type TimelineWindow =
  /** The newest page, or the page before `before` (a receivedAt the last page began with). */
  | { before?: number }
  /** What was received, reviewed or repeated at or after `since`: to add to what is shown. */
  | { since: number };

/**
 * Every event a candidate's journals recorded (not each answer saved) and everything the server
 * flagged about them, in the order the server received it, each with its reviews. Severity was
 * scored at ingest. Read a page at a time: TIMELINE_PAGE entries or a little more, since a page
 * never splits what was received at one instant (one upload); `more` says older pages exist.
 */
export async function timeline(
  db: Kysely<Database>,
  candidateId: string,
  window: TimelineWindow = {},
): Promise<{ entries: TimelineEntry[]; more: boolean }> {
  const events = () =>
    db
      .selectFrom('records')
      .innerJoin('journals', 'journals.id', 'records.journal_id')
      .where('journals.candidate_id', '=', candidateId)
      // Answers and the place are the exam, not events; nonces are sync bookkeeping (their
      // bounds show as notBefore on the records that follow).
      .where('records.kind', 'not in', ['sync.nonce', 'answer.saved', 'place.kept'])
      // Repeats are counted on their first flag (below), not listed one by one.
      .where('records.grouped_into', 'is', null);
  const flagsOf = () => db.selectFrom('server_flags').where('candidate_id', '=', candidateId);

  // The entries to read: received in [from, before), or named by `touched` (a later review or
  // repeat of an older entry).
  let from: number | null = null;
  let before: number | null = null;
  let touched: { journalId: string; seq: number }[] = [];
  let more = false;
  if ('since' in window) {
    from = window.since;
    touched = await touchedSince(db, candidateId, window.since);
  } else {
    before = window.before ?? null;
    let edge = events().select('records.received_at');
    if (before !== null) edge = edge.where('records.received_at', '<', before);
    const oldest = await edge
      .orderBy('records.received_at', 'desc')
      .offset(TIMELINE_PAGE - 1)
      .limit(1)
      .executeTakeFirst();
    if (oldest) {
      from = oldest.received_at;
      const olderEvent = await events()
        .select('records.seq')
        .where('records.received_at', '<', from)
        .limit(1)
        .executeTakeFirst();
      const olderFlag = await flagsOf()
        .select('id')
        .where('at', '<', from)
        .limit(1)
        .executeTakeFirst();
      more = olderEvent !== undefined || olderFlag !== undefined;
    }
  }

  const records = await events()
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
    .where((eb) => {
      const inWindow = [];
      if (from !== null) inWindow.push(eb('records.received_at', '>=', from));
      if (before !== null) inWindow.push(eb('records.received_at', '<', before));
      const named = touched.map(({ journalId, seq }) =>
        eb.and([eb('records.journal_id', '=', journalId), eb('records.seq', '=', seq)]),
      );
      return eb.or([eb.and(inWindow), ...named]);
    })
    .orderBy('records.received_at')
    .orderBy('records.journal_id')
    .orderBy('records.seq')
    .execute();
  const flags = await flagsOf()
    .selectAll()
    .where((eb) => {
      const inWindow = [];
      if (from !== null) inWindow.push(eb('at', '>=', from));
      if (before !== null) inWindow.push(eb('at', '<', before));
      const named = touched.map(({ journalId, seq }) =>
        eb.and([eb('journal_id', '=', journalId), eb('seq', '=', seq)]),
      );
      return eb.or([eb.and(inWindow), ...named]);
    })
    .orderBy('at')
    .execute();
  const reviews = await reviewsBy(db, { candidateId });
  const repeatOf = await repeatsOf(db, candidateId);

  const entries: TimelineEntry[] = records.map((record) => {
    const repeats = repeatOf.get(`${record.journal_id}:${record.seq}`);
    return {
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
      repeats: 1 + (repeats?.count ?? 0),
      lastAt: repeats?.lastAt ?? null,
      reviews: reviews.of(record.journal_id, record.seq),
    };
  });
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
  return { entries: entries.sort((a, b) => a.receivedAt - b.receivedAt), more };
}

/** Entries reviewed, or repeated (a grouped record arrived), at or after `since`. */
async function touchedSince(
  db: Kysely<Database>,
  candidateId: string,
  since: number,
): Promise<{ journalId: string; seq: number }[]> {
  const reviewed = await db
    .selectFrom('flag_reviews')
    .innerJoin('journals', 'journals.id', 'flag_reviews.journal_id')
    .select(['flag_reviews.journal_id as journalId', 'flag_reviews.seq'])
    .where('journals.candidate_id', '=', candidateId)
    .where('flag_reviews.at', '>=', since)
    .execute();
  const repeated = await db
    .selectFrom('records')
    .innerJoin('journals', 'journals.id', 'records.journal_id')
    .select(['records.journal_id as journalId', 'records.grouped_into'])
    .where('journals.candidate_id', '=', candidateId)
    .where('records.grouped_into', 'is not', null)
    .where('records.received_at', '>=', since)
    .distinct()
    .execute();
  const keys = new Map<string, { journalId: string; seq: number }>();
  for (const { journalId, seq } of reviewed) keys.set(`${journalId}:${seq}`, { journalId, seq });
  for (const { journalId, grouped_into: seq } of repeated) {
    if (seq !== null) keys.set(`${journalId}:${seq}`, { journalId, seq });
  }
  return [...keys.values()];
}

/** For each first flag with repeats ("journalId:seq"): how many repeats, and the last one's time. */
async function repeatsOf(
  db: Kysely<Database>,
  candidateId: string,
): Promise<Map<string, { count: number; lastAt: number }>> {
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
  return new Map(
    repeats.map((row) => [
      `${row.journal_id}:${row.grouped_into}`,
      { count: Number(row.count), lastAt: Number(row.last_at) },
    ]),
  );
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
