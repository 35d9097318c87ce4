import type { Receipt } from '../common/api';
import type { Device } from '../common/device';
import type { ClientState, Connectivity, SaveStatus } from '../common/ipc';
import { problem, storageProblem, type Problem } from '../common/problems';

import type { SessionRecordState } from './session/session-record';

/** The state before anyone has signed in. */
export function signedOutState(): ClientState {
  return {
    phase: 'signed-out',
    connectivity: 'offline',
    unsyncedRecords: 0,
    lastAckAt: null,
    deadline: null,
    clockOffsetMs: 0,
    saves: {},
    problem: null,
    receiptHash: null,
    receiptSignature: null,
    receiptAt: null,
    lockedBy: null,
    lockReason: null,
    pausedAt: null,
    messages: [],
    handRaised: false,
    handAnsweredAt: null,
    addedMinutes: 0,
    timeUp: false,
    elsewhere: null,
    startApproved: false,
    battery: null,
    opening: null,
  };
}

/** What the candidate UI is shown is a function of these, and of nothing else. */
export interface StateSources {
  /** Null until signed in. */
  session: {
    records: SessionRecordState;
    receipt: Receipt | null;
    connectivity: Connectivity;
    clockOffsetMs: number;
    lastAckAt: number | null;
    /** The last record the server acknowledged. */
    watermark: number;
    unsyncedRecords: number;
    /** Questions with a value not yet durable (being typed, or storage failing). */
    unsavedQuestions: readonly string[];
    /** Storage failing, then uploads stopped: the first that applies is shown. */
    storageErrno: string | null;
    uploadProblem: Problem | null;
    /** Approved, but the candidate's answers are not fetched yet. */
    seeding: boolean;
    /** Another device replaced this one: records after this seq do not count (null: not replaced). */
    replacedAfter: number | null;
    /** Signed in before the exam opened: when it opens, and its title (null: it is open). */
    opening: { opensAt: number; title: string } | null;
  } | null;
  /** Signed in on a second computer an invigilator has not approved yet. */
  awaitingApproval: boolean;
  /** The laptop's battery and network, if read. */
  device?: Device | null;
}

/**
 * The state the candidate UI shows, projected from the session's sources: pure, so every
 * rule (which problem wins, when a submission counts as submitted, where an answer is) is
 * testable on its own.
 */
export function projectClientState(sources: StateSources): ClientState {
  const { session } = sources;
  if (!session) {
    const state = { ...signedOutState(), battery: sources.device?.battery ?? null };
    return sources.awaitingApproval
      ? { ...state, problem: problem('awaiting-approval'), elsewhere: 'awaiting-approval' }
      : state;
  }
  const { receipt, records } = session;
  // The server's copy of the answers hashed differently from the sealed one: not submitted
  // until an invigilator has looked (the server flagged it); the journal keeps everything.
  const mismatch = receipt !== null && !receipt.matches;
  const shown =
    (session.storageErrno !== null ? storageProblem(session.storageErrno) : null) ??
    (session.replacedAfter !== null ? problem('replaced') : null) ??
    session.uploadProblem ??
    (mismatch ? problem('receipt-mismatch') : null) ??
    (session.seeding ? problem('fetching-answers') : null);
  return {
    phase: receipt && !mismatch && records.sealed ? 'submitted' : records.phase,
    connectivity: session.connectivity,
    unsyncedRecords: session.unsyncedRecords,
    lastAckAt: session.lastAckAt,
    deadline: records.deadline,
    clockOffsetMs: session.clockOffsetMs,
    saves: saveStatuses(records, receivedUpTo(session), session.unsavedQuestions),
    problem: shown && { code: shown.code, params: { ...shown.params } },
    receiptHash: receipt?.answersHash ?? null,
    receiptSignature: receipt?.signature ?? null,
    receiptAt: receipt?.receivedAt ?? null,
    lockedBy: records.phase === 'locked' ? (records.lockedBy ?? null) : null,
    lockReason: records.phase === 'locked' ? (records.lockReason ?? null) : null,
    pausedAt: records.phase === 'paused' ? records.pausedAt : null,
    messages: records.messages,
    handRaised: records.handRaised,
    handAnsweredAt: records.handAnsweredAt,
    addedMinutes: records.grantedMinutes,
    timeUp: records.sealed?.by === 'time-up',
    elsewhere:
      session.replacedAfter !== null ? 'replaced' : session.seeding ? 'fetching-answers' : null,
    startApproved: records.phase === 'preflight' && records.startApproved,
    battery: sources.device?.battery ?? null,
    opening: records.phase === 'preflight' ? session.opening : null,
  };
}

/** Records up to this seq are on the server and count (a replaced device's later ones do not). */
function receivedUpTo(session: NonNullable<StateSources['session']>): number {
  const { watermark, replacedAfter } = session;
  return replacedAfter === null ? watermark : Math.min(watermark, replacedAfter);
}

function saveStatuses(
  records: SessionRecordState,
  watermark: number,
  unsaved: readonly string[],
): Record<string, SaveStatus> {
  const saves: Record<string, SaveStatus> = {};
  for (const [questionId, seq] of Object.entries(records.answerSeq)) {
    saves[questionId] = seq <= watermark ? 'received-by-server' : 'saved-locally';
  }
  for (const questionId of unsaved) saves[questionId] = 'unsaved';
  return saves;
}
