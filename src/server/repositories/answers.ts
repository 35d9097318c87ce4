import type { Kysely } from 'kysely';

import { answerValueSchema, type AnswerValue } from '../../common/answers';
import { hotInsert } from '../db/hot-query';
import type { Database } from '../db/schema';

export type AnswerRow = Database['answers'];

/** The latest answer per question: a newer one replaces it. */
export const upsertAnswers = hotInsert('answers', (insert) =>
  insert.onConflict((oc) =>
    oc.columns(['candidate_id', 'question_id']).doUpdateSet((eb) => ({
      value: eb.ref('excluded.value'),
      journal_id: eb.ref('excluded.journal_id'),
      seq: eb.ref('excluded.seq'),
      saved_at: eb.ref('excluded.saved_at'),
      answered: eb.ref('excluded.answered'),
    })),
  ),
);

/** Whether each of these questions held an answer (absent: never saved). */
export async function answeredBefore(
  db: Kysely<Database>,
  candidateId: string,
  questionIds: readonly string[],
): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('answers')
    .select(['question_id', 'answered'])
    .where('candidate_id', '=', candidateId)
    .where('question_id', 'in', questionIds)
    .execute();
  return new Map(rows.map((row) => [row.question_id, row.answered]));
}

/** Moves the candidate's count of answered questions (kept at ingest, read by the dashboard). */
export async function countAnswered(
  db: Kysely<Database>,
  candidateId: string,
  change: number,
): Promise<void> {
  await db
    .updateTable('candidates')
    .set((eb) => ({ answered: eb('answered', '+', change) }))
    .where('id', '=', candidateId)
    .execute();
}

/** The candidate's latest answer per question, across every journal of theirs. */
export async function latestAnswers(
  db: Kysely<Database>,
  candidateId: string,
): Promise<Record<string, AnswerValue>> {
  const rows = await db
    .selectFrom('answers')
    .select(['question_id', 'value'])
    .where('candidate_id', '=', candidateId)
    .execute();
  return Object.fromEntries(
    rows.map((row) => [row.question_id, answerValueSchema.parse(JSON.parse(row.value))]),
  );
}
