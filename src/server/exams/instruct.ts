import type { Kysely } from 'kysely';

import type { Instruction } from '../../common/api';
import { isUniqueViolation } from '../db/constraints';
import type { DialectName } from '../db/database';
import type { Database } from '../db/schema';
import { HttpError } from '../errors';
import { lockCandidate, lowerHand } from '../repositories/candidates';
import { openPause, queueInstruction } from '../repositories/instructions';
import { candidateStatus } from '../repositories/journals';
import { hasSubmitted } from '../repositories/submissions';

/** What an invigilator asks of a candidate's laptop (approving a device is not sent to one). */
export type InstructRequest = Pick<Instruction, 'kind' | 'minutes' | 'reason' | 'text'>;

/** Journal statuses in which the candidate's clock runs (heartbeats say which). */
const RUNNING: ReadonlySet<string> = new Set(['in-progress', 'locked']);

/** Instructions that make no sense once the candidate has handed in. */
const BEFORE_HAND_IN: ReadonlySet<Instruction['kind']> = new Set([
  'lock',
  'unlock',
  'pause',
  'resume',
  'add-time',
  'approve-preflight',
  'message',
]);

/**
 * Queues an instruction for a candidate, refusing what cannot apply: a pause while paused, a
 * resume with no pause, anything but quitting after the hand-in. A resume carries the pause's
 * length on the server's clock, which moves the candidate's deadline (deadline.ts) and, once
 * applied, the laptop's. Returns the instruction's id.
 */
export async function instruct(
  db: Kysely<Database>,
  dialect: DialectName,
  candidateId: string,
  request: InstructRequest,
  now: number,
): Promise<string> {
  // Two invigilators at once (a room resume and one on the candidate's page): one waits for
  // the other, then reads what it did. Inside the caller's transaction, or one of its own.
  if (!db.isTransaction) {
    return db.transaction().execute((trx) => instruct(trx, dialect, candidateId, request, now));
  }
  await lockCandidate(db, dialect, candidateId);
  if (request.kind === 'add-time' && request.minutes === undefined) {
    throw new HttpError(400, 'invalid-request', 'add-time needs minutes');
  }
  if (request.reason !== undefined && request.kind !== 'lock') {
    throw new HttpError(400, 'invalid-request', 'Only a lock carries a reason.');
  }
  if ((request.text !== undefined) !== (request.kind === 'message')) {
    throw new HttpError(400, 'invalid-request', 'A message, and only a message, carries text.');
  }
  if (BEFORE_HAND_IN.has(request.kind) && (await hasSubmitted(db, candidateId))) {
    throw new HttpError(409, 'already-submitted', 'The candidate has already handed in.');
  }
  let pausedMs: number | undefined;
  let resumes: string | null = null;
  if (request.kind === 'pause' || request.kind === 'resume' || request.kind === 'lock') {
    const pause = await openPause(db, candidateId);
    if (request.kind === 'pause' && pause) {
      throw new HttpError(409, 'already-paused', 'The candidate is paused already.');
    }
    // A laptop stops the clock only while the exam runs: a pause elsewhere would give back
    // time that never stood still (before the start, not signed in, handed in).
    if (request.kind === 'pause' && !RUNNING.has((await candidateStatus(db, candidateId)) ?? '')) {
      throw new HttpError(409, 'not-running', 'The candidate’s exam is not running.');
    }
    if (request.kind === 'lock' && pause) {
      throw new HttpError(409, 'paused', 'The candidate is paused: resume first, then lock.');
    }
    if (request.kind === 'resume') {
      if (!pause) throw new HttpError(409, 'not-paused', 'The candidate is not paused.');
      pausedMs = Math.max(0, now - pause.createdAt);
      resumes = pause.id;
    }
  }
  // Answered: off the invigilators' list at once; the laptop lowers it with its next beat.
  if (request.kind === 'hand-answered') await lowerHand(db, candidateId);
  try {
    return await queueInstruction(
      db,
      candidateId,
      {
        kind: request.kind,
        ...(request.kind === 'add-time' ? { minutes: request.minutes } : {}),
        ...(request.reason !== undefined ? { reason: request.reason } : {}),
        ...(pausedMs !== undefined ? { pausedMs } : {}),
        ...(request.text !== undefined ? { text: request.text } : {}),
      },
      now,
      resumes,
    );
  } catch (error) {
    // Two invigilators resumed the same pause at once: it is given back once.
    if (resumes !== null && isUniqueViolation(error)) {
      throw new HttpError(409, 'not-paused', 'The candidate is not paused.');
    }
    throw error;
  }
}
