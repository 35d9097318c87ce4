import type { Kysely } from 'kysely';

import type { AnswerValue } from '../../common/answers';
import { canonicalJson } from '../../common/canonical-json';
import type { Database } from '../db/schema';
import { randomHex } from '../secrets';

/** The event type the downstream system receives. */
export const HANDOVER_TYPE = 'vakt.submission.accepted';

/**
 * What the downstream system gets for one accepted submission: the exam, the candidate (number
 * and name), the submission's receipt and the answers as handed in. Built here and only here,
 * from the candidate's own rows: no staff data (reviewers, invigilators, flags, instructions)
 * can reach it.
 */
export interface HandoverPayload {
  type: typeof HANDOVER_TYPE;
  exam: { id: string; code: string; title: string };
  candidate: { candidateNumber: string; name: string };
  submission: { receivedAt: string; answersHash: string; matchesClient: boolean };
  answers: { questionId: string; value: AnswerValue }[];
}

export async function handoverPayload(
  trx: Kysely<Database>,
  candidateId: string,
  submission: { receivedAt: number; answersHash: string; matchesClient: boolean },
  answers: Record<string, AnswerValue>,
): Promise<HandoverPayload> {
  const row = await trx
    .selectFrom('candidates')
    .innerJoin('exams', 'exams.id', 'candidates.exam_id')
    .select([
      'exams.id',
      'exams.code',
      'exams.title',
      'candidates.candidate_number',
      'candidates.name',
    ])
    .where('candidates.id', '=', candidateId)
    .executeTakeFirstOrThrow();
  return {
    type: HANDOVER_TYPE,
    exam: { id: row.id, code: row.code, title: row.title },
    candidate: { candidateNumber: row.candidate_number, name: row.name },
    submission: {
      receivedAt: new Date(submission.receivedAt).toISOString(),
      answersHash: submission.answersHash,
      matchesClient: submission.matchesClient,
    },
    answers: Object.entries(answers)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([questionId, value]) => ({ questionId, value })),
  };
}

/**
 * Queues the hand-over of an accepted submission, inside the transaction that accepted it: the
 * submission and its hand-over are stored together or not at all.
 */
export async function enqueueHandover(
  trx: Kysely<Database>,
  journalId: string,
  candidateId: string,
  payload: HandoverPayload,
  now: number,
): Promise<void> {
  await trx
    .insertInto('handovers')
    .values({
      id: `msg_${randomHex(16)}`,
      candidate_id: candidateId,
      journal_id: journalId,
      payload: canonicalJson(payload),
      created_at: now,
      attempts: 0,
      next_at: now,
      last_error: null,
      delivered_at: null,
      dead_at: null,
      retried_at: null,
      abandoned_at: null,
    })
    .execute();
}
