import { randomUUID } from 'node:crypto';

import type { Kysely } from 'kysely';

import type { Database } from '../db/schema';

export interface Review {
  journalId: string;
  seq: number;
  decision: 'dismiss' | 'confirm' | 'note';
  comment: string;
  reviewerId: string;
}

/** Records a staff member's decision on a flag; earlier reviews stay, the newest stands. */
export async function addReview(db: Kysely<Database>, review: Review, now: number): Promise<void> {
  await db
    .insertInto('flag_reviews')
    .values({
      id: randomUUID(),
      journal_id: review.journalId,
      seq: review.seq,
      decision: review.decision,
      comment: review.comment,
      reviewer_id: review.reviewerId,
      at: now,
    })
    .execute();
}
