import type { Kysely } from 'kysely';

import { deadlineOf } from '../../common/deadline';
import type { Database } from '../db/schema';
import type { Exam } from '../repositories/exams';
import { ADD_TIME, RESUME, timeCreditMs } from '../repositories/instructions';

const HOUR = 3_600_000;

/**
 * The last moment a candidate may change answers: the exam's close, plus the candidate's
 * extra time, plus the time invigilators gave (minutes added and pauses, whenever given,
 * applied or not: see timeCreditMs).
 */
export async function candidateDeadline(
  db: Kysely<Database>,
  exam: Pick<Exam, 'closesAt' | 'policy'>,
  candidateId: string,
): Promise<number> {
  // One query: it runs inside every upload's transaction.
  const row = await db
    .selectFrom('candidates')
    .select((eb) => [
      'extra_minutes',
      eb
        .selectFrom('instructions')
        .select(timeCreditMs.as('credit'))
        .where('candidate_id', '=', candidateId)
        .where('kind', 'in', [ADD_TIME, RESUME])
        .as('credit'),
    ])
    .where('id', '=', candidateId)
    .executeTakeFirstOrThrow();
  return deadlineAfter(exam, row.extra_minutes, row.credit);
}

/**
 * The deadline from the candidate's extra minutes and the time invigilators gave, in ms
 * (timeCreditMs: a sum of none is null, and PostgreSQL sums as text).
 */
export function deadlineAfter(
  exam: Pick<Exam, 'closesAt' | 'policy'>,
  extraMinutes: number,
  creditMs: number | string | null,
): number {
  const { durationMinutes } = exam.policy.timing;
  return deadlineOf(
    { closesAt: exam.closesAt, durationMinutes },
    extraMinutes,
    null,
    Number(creditMs ?? 0),
  );
}

/** How long after the deadline records written offline before it may still arrive. */
export function offlineGraceMs(exam: Pick<Exam, 'policy'>): number {
  return exam.policy.offlineGraceHours * HOUR;
}

export interface RecordTimes {
  /** The client's clock when it wrote the record: a claim. */
  at: number;
  /** Issue time of the nearest preceding nonce it returned: the server's lower bound. */
  notBefore: number | null;
  receivedAt: number;
}

/**
 * Whether a record counts as written by the deadline. Received by then: yes. Received later,
 * within the grace: only if the client says it was written in time and no nonce it returned
 * proves otherwise (a nonce issued after the deadline means it was online, and late, then).
 */
export function writtenInTime(times: RecordTimes, deadline: number, graceMs: number): boolean {
  if (times.receivedAt <= deadline) return true;
  if (times.receivedAt > deadline + graceMs) return false;
  return times.at <= deadline && (times.notBefore === null || times.notBefore <= deadline);
}
