import type { Kysely } from 'kysely';

import type { Instruction } from '../../common/api';
import type { Database } from '../db/schema';
import { HttpError } from '../errors';
import { lowerHand } from '../repositories/candidates';
import { openPause, queueInstruction } from '../repositories/instructions';
import { hasSubmitted } from '../repositories/submissions';

/** What an invigilator asks of a candidate's laptop (approving a device is not sent to one). */
export type InstructRequest = Pick<Instruction, 'kind' | 'minutes' | 'reason' | 'text'>;

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
  candidateId: string,
  request: InstructRequest,
  now: number,
): Promise<string> {
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
  if (request.kind === 'pause' || request.kind === 'resume') {
    const pause = await openPause(db, candidateId);
    if (request.kind === 'pause' && pause) {
      throw new HttpError(409, 'already-paused', 'The candidate is paused already.');
    }
    if (request.kind === 'resume') {
      if (!pause) throw new HttpError(409, 'not-paused', 'The candidate is not paused.');
      pausedMs = Math.max(0, now - pause.createdAt);
    }
  }
  // Answered: off the invigilators' list at once; the laptop lowers it with its next beat.
  if (request.kind === 'hand-answered') await lowerHand(db, candidateId);
  return queueInstruction(
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
  );
}
