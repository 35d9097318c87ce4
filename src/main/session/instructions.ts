import type { Instruction } from '../../common/api';
import type { EventKind, EventPayload } from '../../common/events';
import type { Phase } from '../../common/session-phase';

/** What carrying out an invigilator's instruction needs from the session. */
export interface InstructionTarget {
  phase(): Phase;
  /** Ids of instructions already journaled as applied. */
  applied(): readonly string[];
  /** `reason`: what the invigilator tells the candidate. */
  lock(reason?: string): Promise<void>;
  unlock(): Promise<void>;
  /** Stops the clock from `at` (the server's clock); answers being typed are saved first. */
  pause(at: number): Promise<void>;
  /** Ends a pause, giving back `pausedMs` (once: `instruction` counts as applied with it). */
  resume(pausedMs: number, instruction: string): Promise<void>;
  /** Whether the candidate's hand is raised. */
  handRaised(): boolean;
  /** Starts the exam although preflight is not clear. */
  approvePreflight(): Promise<void>;
  record<K extends EventKind>(kind: K, payload: EventPayload<K>): Promise<void>;
}

/**
 * Carries out the invigilator's instructions from a heartbeat reply, each once: the server
 * repeats an instruction until the client journals `instruction.applied`, so one that fails
 * now comes again with the next beat. Adding time and allowing quitting take effect in the
 * fold of `instruction.applied` itself (session-record.ts), in whatever phase they arrive; a
 * pause and its end are journaled as `exam.paused` and `exam.resumed`.
 */
export async function applyInstructions(
  instructions: readonly Instruction[],
  target: InstructionTarget,
): Promise<void> {
  for (const instruction of instructions) {
    if (target.applied().includes(instruction.id)) continue;
    await carryOut(instruction, target);
    await target.record('instruction.applied', {
      id: instruction.id,
      kind: instruction.kind,
      ...(instruction.kind === 'add-time' && instruction.minutes !== undefined
        ? { minutes: instruction.minutes }
        : {}),
    });
  }
}

/** An instruction that does not fit the phase (unlock while not locked) is applied as a no-op. */
async function carryOut(instruction: Instruction, target: InstructionTarget): Promise<void> {
  const phase = target.phase();
  switch (instruction.kind) {
    case 'lock':
      if (phase === 'in-progress') await target.lock(instruction.reason);
      break;
    case 'unlock':
      if (phase === 'locked') await target.unlock();
      break;
    case 'approve-preflight':
      if (phase === 'preflight') await target.approvePreflight();
      break;
    case 'pause':
      if (phase === 'in-progress') await target.pause(instruction.at ?? 0);
      break;
    case 'resume':
      // Whatever the phase: the server gave the time back to a candidate locked or not yet
      // started meanwhile too (session-record.ts).
      if (phase !== 'submitting' && phase !== 'submitted') {
        await target.resume(instruction.pausedMs ?? 0, instruction.id);
      }
      break;
    case 'message':
      // Shown over the exam in any phase until the candidate says they read it.
      if (instruction.text !== undefined) {
        await target.record('message.received', { id: instruction.id, text: instruction.text });
      }
      break;
    case 'hand-answered':
      if (target.handRaised()) await target.record('hand.lowered', { by: 'invigilator' });
      break;
    case 'add-time':
    case 'allow-quit':
      break;
  }
}
