import type { AnswerValue } from '../../common/answers';
import type { EventPayload, Place } from '../../common/events';
import type { JournalRecord } from '../../common/journal-record';
import type { Phase } from '../../common/session-phase';

/**
 * What the journal says about the session, rebuilt by folding its records in order: the
 * journal is the only source, so a restarted client resumes exactly where the durable records
 * left it. `seq` is the last record folded in.
 */
export interface SessionRecordState {
  seq: number;
  phase: Phase;
  /** Epoch ms on the server's clock. */
  deadline: number | null;
  /** Time invigilators gave, whenever (before the start too): minutes added and pauses. */
  addedMs: number;
  /** Of that, the minutes invigilators added (what the candidate is told of). */
  grantedMinutes: number;
  answers: Record<string, AnswerValue>;
  /** The seq of each question's latest answer: received by the server once acknowledged. */
  answerSeq: Record<string, number>;
  /** Instruction ids already applied: the server repeats an instruction until it sees one. */
  applied: string[];
  /** Resume instructions whose time was given back (each once). */
  resumed: string[];
  quitAllowed: boolean;
  /** Who locked the exam while it is locked: the invigilator, or the policy at time-up. */
  lockedBy: 'invigilator' | 'policy' | null;
  /** What the invigilator said when locking, if anything. */
  lockReason?: string | null;
  /** While paused: when the clock stopped (the server's clock); the time left stands still. */
  pausedAt: number | null;
  /** Messages from the invigilator not read yet, oldest first. */
  messages: { id: string; text: string }[];
  /** A hand raised and not yet answered or lowered. */
  handRaised: boolean;
  /**
   * When an invigilator answered the last raised hand (this computer's clock; null: none
   * answered since the last was raised or lowered by the candidate).
   */
  handAnsweredAt: number | null;
  sealed: EventPayload<'submission.sealed'> | null;
  /** This device journaled the candidate's answers from the server (a second device). */
  seeded: boolean;
  /** Where the candidate was: the question shown and those marked (null: nowhere yet). */
  place: Place | null;
  /** An invigilator let the candidate start despite the checks (they still press Start). */
  startApproved: boolean;
}

export function initialRecordState(): SessionRecordState {
  return {
    seq: 0,
    phase: 'signed-out',
    deadline: null,
    addedMs: 0,
    grantedMinutes: 0,
    answers: {},
    answerSeq: {},
    applied: [],
    resumed: [],
    quitAllowed: false,
    lockedBy: null,
    pausedAt: null,
    messages: [],
    handRaised: false,
    handAnsweredAt: null,
    sealed: null,
    seeded: false,
    place: null,
    startApproved: false,
  };
}

/** Folds one record into the state (returns a new state; records at or below `seq` are ignored). */
export function foldRecord(state: SessionRecordState, record: JournalRecord): SessionRecordState {
  if (record.seq <= state.seq) return state;
  const next: SessionRecordState = { ...state, seq: record.seq };
  switch (record.kind) {
    case 'session.started':
      if (next.phase === 'signed-out') next.phase = 'preflight';
      break;
    case 'exam.started': {
      const { deadline } = record.payload as EventPayload<'exam.started'>;
      // Time added before the start counts too.
      next.deadline = deadline + next.addedMs;
      next.phase = 'in-progress';
      break;
    }
    case 'answer.saved': {
      const { questionId, value } = record.payload as EventPayload<'answer.saved'>;
      next.answers = { ...next.answers, [questionId]: value };
      next.answerSeq = { ...next.answerSeq, [questionId]: record.seq };
      break;
    }
    case 'preflight.passed':
      if ((record.payload as EventPayload<'preflight.passed'>).overridden)
        next.startApproved = true;
      break;
    case 'place.kept':
      next.place = record.payload as Place;
      break;
    case 'answers.seeded':
      next.seeded = true;
      break;
    case 'lock.engaged':
      if (next.phase === 'in-progress') {
        next.phase = 'locked';
        const { by, reason } = record.payload as EventPayload<'lock.engaged'>;
        next.lockedBy = by;
        next.lockReason = reason ?? null;
      }
      break;
    case 'lock.released':
      if (next.phase === 'locked') {
        next.phase = 'in-progress';
        next.lockedBy = null;
        next.lockReason = null;
      }
      break;
    case 'exam.paused':
      if (next.phase === 'in-progress') {
        next.phase = 'paused';
        next.pausedAt = (record.payload as EventPayload<'exam.paused'>).at;
      }
      break;
    case 'exam.resumed': {
      // The pause's length comes back as time in any phase, as the server counts it too, and
      // once per resume: after a crash before its instruction.applied, the resume comes again
      // and is journaled again, without giving the time twice.
      const { pausedMs, instruction } = record.payload as EventPayload<'exam.resumed'>;
      if (instruction !== undefined) {
        if (next.resumed.includes(instruction)) break;
        next.resumed = [...next.resumed, instruction];
      }
      next.addedMs += pausedMs;
      if (next.deadline !== null) next.deadline += pausedMs;
      if (next.phase === 'paused') next.phase = 'in-progress';
      next.pausedAt = null;
      break;
    }
    case 'message.received': {
      const { id, text } = record.payload as EventPayload<'message.received'>;
      if (!next.messages.some((message) => message.id === id)) {
        next.messages = [...next.messages, { id, text }];
      }
      break;
    }
    case 'message.read': {
      const { id } = record.payload as EventPayload<'message.read'>;
      next.messages = next.messages.filter((message) => message.id !== id);
      break;
    }
    case 'hand.raised':
      next.handRaised = true;
      next.handAnsweredAt = null;
      break;
    case 'hand.lowered': {
      const { by } = record.payload as EventPayload<'hand.lowered'>;
      if (next.handRaised) next.handAnsweredAt = by === 'invigilator' ? record.at : null;
      next.handRaised = false;
      break;
    }
    case 'exit.allowed':
      next.quitAllowed = true;
      break;
    case 'instruction.applied': {
      const { id, kind, minutes } = record.payload as EventPayload<'instruction.applied'>;
      next.applied = [...next.applied, id];
      if (kind === 'add-time' && minutes !== undefined) {
        next.addedMs += minutes * 60_000;
        next.grantedMinutes += minutes;
        if (next.deadline !== null) next.deadline += minutes * 60_000;
      }
      if (kind === 'allow-quit') next.quitAllowed = true;
      break;
    }
    case 'submission.sealed':
      next.sealed = record.payload as EventPayload<'submission.sealed'>;
      next.phase = 'submitting';
      break;
    default:
      break;
  }
  return next;
}
