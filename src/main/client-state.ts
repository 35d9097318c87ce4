import type { ClientState } from '../common/ipc';

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
