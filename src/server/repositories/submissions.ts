import type { Kysely } from 'kysely';

import type { Receipt } from '../../common/api';
import type { Database } from '../db/schema';

export interface NewSubmission {
  journalId: string;
  candidateId: string;
  /** What the client sealed, and what the server's own copy of the answers hashes to. */
  clientHash: string;
  serverHash: string;
  headSeq: number;
  receivedAt: number;
}

/** Stores a journal's submission once; true when this call stored it. */
export async function insertSubmission(
  db: Kysely<Database>,
  submission: NewSubmission,
): Promise<boolean> {
  const inserted = await db
    .insertInto('submissions')
    .values({
      journal_id: submission.journalId,
      candidate_id: submission.candidateId,
      answers_hash: submission.clientHash,
      server_answers_hash: submission.serverHash,
      head_seq: submission.headSeq,
      matches: submission.clientHash === submission.serverHash ? 1 : 0,
      received_at: submission.receivedAt,
    })
    .onConflict((oc) => oc.column('journal_id').doNothing())
    .executeTakeFirst();
  return Number(inserted.numInsertedOrUpdatedRows) === 1;
}

/** The receipt of a journal's submission, or null before it has one. */
export async function receiptFor(db: Kysely<Database>, journalId: string): Promise<Receipt | null> {
  const row = await db
    .selectFrom('submissions')
    .selectAll()
    .where('journal_id', '=', journalId)
    .executeTakeFirst();
  return row
    ? {
        answersHash: row.server_answers_hash,
        headSeq: row.head_seq,
        matches: row.matches === 1,
        receivedAt: row.received_at,
      }
    : null;
}

/** Whether the candidate has handed in, from any of their devices. */
export async function hasSubmitted(db: Kysely<Database>, candidateId: string): Promise<boolean> {
  const row = await db
    .selectFrom('submissions')
    .select('journal_id')
    .where('candidate_id', '=', candidateId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
