import { randomUUID } from 'node:crypto';

import type { Kysely } from 'kysely';

import type { Database } from '../db/schema';

export type LegalHold = Database['legal_holds'];

export interface NewLegalHold {
  examId: string;
  /** One candidate of the exam; null holds the whole exam. */
  candidateId: string | null;
  reason: string;
  reviewAt: number;
  /** Who opens it: a staff id, or "cli". */
  openedBy: string;
}

export async function openLegalHold(
  db: Kysely<Database>,
  hold: NewLegalHold,
  now: number,
): Promise<LegalHold> {
  const row: LegalHold = {
    id: randomUUID(),
    exam_id: hold.examId,
    candidate_id: hold.candidateId,
    reason: hold.reason,
    review_at: hold.reviewAt,
    opened_by: hold.openedBy,
    opened_at: now,
    released_by: null,
    released_at: null,
  };
  await db.insertInto('legal_holds').values(row).execute();
  return row;
}

/** Releases an open hold; false when there is no open hold with that id. */
export async function releaseLegalHold(
  db: Kysely<Database>,
  id: string,
  releasedBy: string,
  now: number,
): Promise<boolean> {
  const result = await db
    .updateTable('legal_holds')
    .set({ released_by: releasedBy, released_at: now })
    .where('id', '=', id)
    .where('released_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Every hold, open ones first, newest first. */
export async function listLegalHolds(db: Kysely<Database>): Promise<LegalHold[]> {
  const holds = await db
    .selectFrom('legal_holds')
    .selectAll()
    .orderBy('opened_at', 'desc')
    .execute();
  return [
    ...holds.filter((h) => h.released_at === null),
    ...holds.filter((h) => h.released_at !== null),
  ];
}
