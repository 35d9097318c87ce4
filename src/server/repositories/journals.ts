import type { Kysely } from 'kysely';

import type { JournalStanding } from '../../common/api';
import type { PreflightBlocker } from '../../common/events';
import { GENESIS_HASH } from '../../common/journal-record';
import type { Platform } from '../../common/platform';
import { isUniqueViolation } from '../db/constraints';
import { hotQuery } from '../db/hot-query';
import type { Database } from '../db/schema';

export type Journal = Database['journals'];

export interface OpenJournal {
  journalId: string;
  candidateId: string;
  deviceIdHash: string;
  clientVersion: string;
  platform?: Platform;
  /** The journal's Ed25519 public key (hex): fixed by the first sign-in. */
  publicKey: string;
  now: number;
}

export class JournalOwnerError extends Error {
  override name = 'JournalOwnerError';
}

/**
 * The journal a sign-in continues or starts. A new journalId while the candidate already has
 * an active journal is a second device: it waits for an invigilator's approval.
 */
export async function openJournal(db: Kysely<Database>, open: OpenJournal): Promise<Journal> {
  // Two first sign-ins at once both see no active journal; the partial unique index lets only
  // one become active, and the other, tried again, is a second device.
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await openJournalOnce(db, open);
    } catch (error) {
      if (attempt >= 3 || !isUniqueViolation(error)) throw error;
    }
  }
}

async function openJournalOnce(db: Kysely<Database>, open: OpenJournal): Promise<Journal> {
  return db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('journals')
      .selectAll()
      .where('id', '=', open.journalId)
      .executeTakeFirst();
    if (existing) {
      if (existing.candidate_id !== open.candidateId) {
        throw new JournalOwnerError('This journal belongs to another candidate.');
      }
      if (existing.public_key !== null && existing.public_key !== open.publicKey) {
        throw new JournalOwnerError('This journal was registered with another key.');
      }
      const update = {
        client_version: open.clientVersion,
        platform: open.platform ?? null,
        last_seen_at: open.now,
        public_key: open.publicKey,
      };
      await trx.updateTable('journals').set(update).where('id', '=', existing.id).execute();
      return { ...existing, ...update };
    }
    const active = await trx
      .selectFrom('journals')
      .select('id')
      .where('candidate_id', '=', open.candidateId)
      .where('state', '=', 'active')
      .executeTakeFirst();
    const journal: Journal = {
      id: open.journalId,
      candidate_id: open.candidateId,
      device_id_hash: open.deviceIdHash,
      client_version: open.clientVersion,
      state: active ? 'awaiting-approval' : 'active',
      status: null,
      watermark: 0,
      head_hash: GENESIS_HASH,
      last_seen_at: open.now,
      created_at: open.now,
      public_key: open.publicKey,
      stored_bytes: 0,
      quarantined_bytes: 0,
      client_head_seq: 0,
      platform: open.platform ?? null,
      nonce_ordinal: 0,
      returned_ordinal: 0,
      returned_issued_at: null,
      // A second device starts from the candidate's answers on the server once approved.
      needs_answers: active ? 1 : 0,
      replaced_after: null,
      started_seq: null,
      preflight_blockers: null,
      battery_level: null,
      battery_charging: null,
      network: null,
    };
    await trx.insertInto('journals').values(journal).execute();
    return journal;
  });
}

/**
 * An invigilator approved a second device: the old journal is superseded, the new one
 * becomes active and starts from the candidate's latest answers (GET /answers).
 */
export async function approveSecondDevice(db: Kysely<Database>, journalId: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const journal = await trx
      .selectFrom('journals')
      .selectAll()
      .where('id', '=', journalId)
      .executeTakeFirstOrThrow();
    // What the replaced device stored so far counted; what it sends from now on does not.
    await trx
      .updateTable('journals')
      .set((eb) => ({ state: 'superseded', replaced_after: eb.ref('watermark') }))
      .where('candidate_id', '=', journal.candidate_id)
      .where('state', '=', 'active')
      .execute();
    await trx
      .updateTable('journals')
      .set({ state: 'active' })
      .where('id', '=', journalId)
      .execute();
  });
}

/** What a client is told of its journal (DESIGN.md "Sync protocol", journal identity). */
export function journalStanding(journal: Journal): JournalStanding {
  return {
    journalState:
      journal.state === 'active'
        ? 'active'
        : journal.state === 'superseded'
          ? 'replaced'
          : 'awaiting-approval',
    needsAnswers: journal.needs_answers === 1,
    replacedAfter: journal.state === 'superseded' ? (journal.replaced_after ?? 0) : null,
  };
}

type BeatSlot = 'now' | 'status' | 'headSeq' | 'level' | 'charging' | 'network' | 'journalId';

/**
 * What a heartbeat tells of a journal: seen now, with the client's status and head, and the
 * laptop's battery and network type (null where it did not say).
 */
export const recordHeartbeat = hotQuery((db, slot: (name: BeatSlot) => never) =>
  db
    .updateTable('journals')
    .set({
      last_seen_at: slot('now'),
      status: slot('status'),
      client_head_seq: slot('headSeq'),
      battery_level: slot('level'),
      battery_charging: slot('charging'),
      network: slot('network'),
    })
    .where('id', '=', slot('journalId')),
);

type HeadSlot =
  'seq' | 'hash' | 'now' | 'bytes' | 'issued' | 'returned' | 'returnedAt' | 'journalId';

/** The journal after a batch: its new head, bytes stored, and the nonces issued and returned. */
export const saveJournalHead = hotQuery((db, slot: (name: HeadSlot) => never) =>
  db
    .updateTable('journals')
    .set((eb) => ({
      watermark: slot('seq'),
      head_hash: slot('hash'),
      last_seen_at: slot('now'),
      stored_bytes: eb('stored_bytes', '+', slot('bytes')),
      nonce_ordinal: slot('issued'),
      returned_ordinal: slot('returned'),
      returned_issued_at: slot('returnedAt'),
    }))
    .where('id', '=', slot('journalId')),
);

/** A second device journaled the candidate's answers: replies stop asking for them. */
export async function answersSeeded(db: Kysely<Database>, journalId: string): Promise<void> {
  await db.updateTable('journals').set({ needs_answers: 0 }).where('id', '=', journalId).execute();
}

const journalById = hotQuery((db, slot: (name: 'journalId') => never) =>
  db.selectFrom('journals').selectAll().where('id', '=', slot('journalId')),
);

/** A journal by id (every client request on SQLite reads its own). */
export async function getJournal(db: Kysely<Database>, journalId: string): Promise<Journal | null> {
  return (await journalById(db, { journalId })).rows[0] ?? null;
}

/** A candidate's second devices waiting for an invigilator's approval, oldest first. */
export async function waitingDevices(db: Kysely<Database>, candidateId: string) {
  const rows = await db
    .selectFrom('journals')
    .select(['id', 'client_version', 'created_at'])
    .where('candidate_id', '=', candidateId)
    .where('state', '=', 'awaiting-approval')
    .orderBy('created_at')
    .execute();
  return rows.map((journal) => ({
    journalId: journal.id,
    clientVersion: journal.client_version,
    since: journal.created_at,
  }));
}

/** A candidate's accepted submission, as its receipt states it; null before one. */
export async function submissionOf(db: Kysely<Database>, candidateId: string) {
  const row = await db
    .selectFrom('submissions')
    .selectAll()
    .where('candidate_id', '=', candidateId)
    .executeTakeFirst();
  return row
    ? {
        receivedAt: row.received_at,
        answersHash: row.answers_hash,
        serverAnswersHash: row.server_answers_hash,
        matches: row.matches !== 0,
      }
    : null;
}

/**
 * The candidates of an exam whose active, unsubmitted journal was last heard from in
 * (`after`, `upTo`]: with the offline threshold subtracted, those who went silent since then.
 */
export async function lastSeenBetween(
  db: Kysely<Database>,
  examId: string,
  after: number,
  upTo: number,
): Promise<string[]> {
  const rows = await db
    .selectFrom('journals')
    .innerJoin('candidates', 'candidates.id', 'journals.candidate_id')
    .leftJoin('submissions', 'submissions.journal_id', 'journals.id')
    .select('journals.candidate_id')
    .distinct()
    .where('candidates.exam_id', '=', examId)
    .where('journals.state', '=', 'active')
    .where('submissions.journal_id', 'is', null)
    .where('journals.last_seen_at', '>', after)
    .where('journals.last_seen_at', '<=', upTo)
    .execute();
  return rows.map((row) => row.candidate_id);
}

/** The journal's exam.started is record `seq`; the first one stands. Nothing blocks now. */
export async function markJournalStarted(
  db: Kysely<Database>,
  journalId: string,
  seq: number,
): Promise<void> {
  await db
    .updateTable('journals')
    .set({ started_seq: seq, preflight_blockers: null })
    .where('id', '=', journalId)
    .where('started_seq', 'is', null)
    .execute();
}

/** What the journal's checks last said keeps the exam from starting (none: null). */
export async function markBlocked(
  db: Kysely<Database>,
  journalId: string,
  blockers: readonly PreflightBlocker[],
): Promise<void> {
  await db
    .updateTable('journals')
    .set({ preflight_blockers: blockers.length > 0 ? JSON.stringify(blockers) : null })
    .where('id', '=', journalId)
    .where('started_seq', 'is', null)
    .execute();
}

/** Whether any candidate of the exam has signed in (its package and policy are out there). */
export async function examHasJournals(db: Kysely<Database>, examId: string): Promise<boolean> {
  const row = await db
    .selectFrom('journals')
    .innerJoin('candidates', 'candidates.id', 'journals.candidate_id')
    .select('journals.id')
    .where('candidates.exam_id', '=', examId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** The status the candidate's active journal last reported (heartbeat), or null if none. */
export async function candidateStatus(
  db: Kysely<Database>,
  candidateId: string,
): Promise<string | null> {
  const row = await db
    .selectFrom('journals')
    .select('status')
    .where('candidate_id', '=', candidateId)
    .where('state', '=', 'active')
    .executeTakeFirst();
  return row?.status ?? null;
}

/** Whether the candidate has signed in on any laptop (a journal exists). */
export async function hasJournal(db: Kysely<Database>, candidateId: string): Promise<boolean> {
  const row = await db
    .selectFrom('journals')
    .select('id')
    .where('candidate_id', '=', candidateId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
