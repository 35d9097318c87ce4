import { randomUUID } from 'node:crypto';

import type { Kysely } from 'kysely';

import type { TimelineEntry } from '../../common/staff-api';
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

export type ShownReview = TimelineEntry['reviews'][number];

/**
 * The reviews of one candidate's flags, or of a whole exam's, oldest first, by flag: `of`
 * answers the list for a flag's (journalId, seq), empty for a flag without one.
 */
export async function reviewsBy(
  db: Kysely<Database>,
  scope: { candidateId: string } | { examId: string },
): Promise<{ of: (journalId: string | null, seq: number | null) => ShownReview[] }> {
  let query = db
    .selectFrom('flag_reviews')
    .innerJoin('journals', 'journals.id', 'flag_reviews.journal_id')
    .innerJoin('staff_users', 'staff_users.id', 'flag_reviews.reviewer_id')
    .select([
      'flag_reviews.journal_id',
      'flag_reviews.seq',
      'flag_reviews.decision',
      'flag_reviews.comment',
      'flag_reviews.at',
      'staff_users.email',
    ])
    .orderBy('flag_reviews.at');
  query =
    'candidateId' in scope
      ? query.where('journals.candidate_id', '=', scope.candidateId)
      : query.where(
          'journals.candidate_id',
          'in',
          db.selectFrom('candidates').select('id').where('exam_id', '=', scope.examId),
        );
  const byFlag = new Map<string, ShownReview[]>();
  for (const review of await query.execute()) {
    const key = `${review.journal_id}#${review.seq}`;
    const list = byFlag.get(key) ?? [];
    list.push({
      decision: review.decision,
      comment: review.comment,
      reviewer: review.email,
      at: review.at,
    });
    byFlag.set(key, list);
  }
  return {
    of: (journalId, seq) =>
      journalId === null || seq === null ? [] : (byFlag.get(`${journalId}#${seq}`) ?? []),
  };
}
