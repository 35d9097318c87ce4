import { randomUUID } from 'node:crypto';

import type { Kysely } from 'kysely';

import { canonicalJson } from '../../common/canonical-json';
import type { HandInContent } from '../../common/hand-in';
import type { Database } from '../db/schema';

import { raiseFlags, type ServerFlag } from './server-flags';

/**
 * Keeps a hand-in file that cannot prove whose it is, with its flag on the candidate, in one
 * transaction; returns its id.
 */
export async function holdHandIn(
  db: Kysely<Database>,
  held: {
    examId: string;
    candidateId: string;
    content: HandInContent;
    reason: string;
    uploadedBy: string;
  },
  /** The flag that says so, for an invigilator (sync/severity.ts serverFlag). */
  flag: ServerFlag,
  now: number,
): Promise<string> {
  const id = randomUUID();
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('hand_ins')
      .values({
        id,
        exam_id: held.examId,
        candidate_id: held.candidateId,
        journal_id: held.content.journalId,
        reason: held.reason,
        record_count: held.content.records.length,
        content: canonicalJson(held.content),
        uploaded_by: held.uploadedBy,
        received_at: now,
      })
      .execute();
    await raiseFlags(trx, [flag], now);
  });
  return id;
}

/** The exam's held hand-in files, oldest first. */
export async function heldHandIns(db: Kysely<Database>, examId: string) {
  const rows = await db
    .selectFrom('hand_ins')
    .leftJoin('candidates', 'candidates.id', 'hand_ins.candidate_id')
    .select([
      'hand_ins.id',
      'hand_ins.journal_id',
      'hand_ins.reason',
      'hand_ins.record_count',
      'hand_ins.received_at',
      'candidates.candidate_number',
    ])
    .where('hand_ins.exam_id', '=', examId)
    .orderBy('hand_ins.received_at')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    candidateNumber: row.candidate_number,
    journalId: row.journal_id,
    reason: row.reason,
    records: row.record_count,
    receivedAt: row.received_at,
  }));
}
