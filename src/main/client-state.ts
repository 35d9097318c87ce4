import type { Receipt } from '../common/api';
import type { ExamContent } from '../common/content';
import type { ClientState, Connectivity } from '../common/ipc';

import type { SessionRecordState } from './session/session-record';

/** The state before anyone has signed in. */
export function signedOutState(): ClientState {
  return {
    phase: 'signed-out',
    connectivity: 'offline',
    unsyncedRecords: 0,
    lastAckAt: null,
    deadline: null,
    content: null,
    answers: {},
    problem: null,
    receiptHash: null,
  };
}

export interface Problem {
  code: string;
  message: string;
}

/** What the candidate UI is shown is a function of these, and of nothing else. */
export interface StateSources {
  /** Null until signed in. */
  session: {
    records: SessionRecordState;
    content: ExamContent;
    receipt: Receipt | null;
    connectivity: Connectivity;
    lastAckAt: number | null;
    unsyncedRecords: number;
    /** Storage failing, then uploads stopped: the first that applies is shown. */
    storageProblem: Problem | null;
    uploadProblem: Problem | null;
    /** Approved, but the candidate's answers are not fetched yet. */
    seeding: boolean;
  } | null;
  /** Signed in on a second computer an invigilator has not approved yet. */
  awaitingApproval: boolean;
}

const AWAITING_APPROVAL: Problem = {
  code: 'awaiting-approval',
  message:
    'This computer is waiting for the invigilator to approve it. Your answers are kept on the other computer and the server meanwhile.',
};
const RECEIPT_MISMATCH: Problem = {
  code: 'receipt-mismatch',
  message:
    'Your submission is being checked — do not close Vakt. Tell the invigilator; your answers are kept on this computer.',
};
const FETCHING_ANSWERS: Problem = {
  code: 'fetching-answers',
  message:
    'This computer was approved: Vakt is fetching your answers from the server. You can go on in a moment.',
};

/**
 * The state the candidate UI shows, projected from the session's sources: pure, so every
 * rule (which problem wins, when a submission counts as submitted) is testable on its own.
 */
export function projectClientState(sources: StateSources): ClientState {
  const { session } = sources;
  if (!session) {
    const state = signedOutState();
    return sources.awaitingApproval ? { ...state, problem: { ...AWAITING_APPROVAL } } : state;
  }
  const { receipt, records } = session;
  // The server's copy of the answers hashed differently from the sealed one: not submitted
  // until an invigilator has looked (the server flagged it); the journal keeps everything.
  const mismatch = receipt !== null && !receipt.matches;
  const problem =
    session.storageProblem ??
    session.uploadProblem ??
    (mismatch ? RECEIPT_MISMATCH : null) ??
    (session.seeding ? FETCHING_ANSWERS : null);
  return {
    phase: receipt && !mismatch && records.sealed ? 'submitted' : records.phase,
    connectivity: session.connectivity,
    unsyncedRecords: session.unsyncedRecords,
    lastAckAt: session.lastAckAt,
    deadline: records.deadline,
    content: session.content,
    answers: { ...records.answers },
    problem: problem && { code: problem.code, message: problem.message },
    receiptHash: receipt?.answersHash ?? null,
  };
}
