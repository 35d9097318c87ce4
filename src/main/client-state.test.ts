import { describe, expect, it } from 'vitest';

import { projectClientState, type StateSources } from './client-state';
import { initialRecordState } from './session/session-record';

const receipt = { answersHash: 'a'.repeat(64), headSeq: 3, matches: true, receivedAt: 1 };

function signedIn(overrides: Partial<NonNullable<StateSources['session']>> = {}): StateSources {
  return {
    awaitingApproval: false,
    session: {
      records: {
        ...initialRecordState(),
        phase: 'submitting',
        sealed: { answersHash: 'a'.repeat(64), headSeq: 3 },
      },
      content: { title: 'Exam', instructions: '', questions: [] },
      receipt: null,
      connectivity: 'online',
      lastAckAt: null,
      unsyncedRecords: 0,
      storageProblem: null,
      uploadProblem: null,
      seeding: false,
      ...overrides,
    },
  };
}

describe('the state the candidate UI shows', () => {
  it('is submitted only with a receipt whose hash the server could match', () => {
    expect(projectClientState(signedIn()).phase).toBe('submitting');
    expect(projectClientState(signedIn({ receipt })).phase).toBe('submitted');
    const mismatch = projectClientState(signedIn({ receipt: { ...receipt, matches: false } }));
    expect(mismatch.phase).toBe('submitting');
    expect(mismatch.problem?.code).toBe('receipt-mismatch');
  });

  it('shows the most urgent problem: storage, then uploads, then the rest', () => {
    const storage = { code: 'ENOSPC', message: 'The disk is full.' };
    const upload = { code: 'token', message: 'Sign in again.' };
    const all = signedIn({
      storageProblem: storage,
      uploadProblem: upload,
      receipt: { ...receipt, matches: false },
      seeding: true,
    });
    expect(projectClientState(all).problem).toEqual(storage);
    expect(projectClientState(signedIn({ uploadProblem: upload, seeding: true })).problem).toEqual(
      upload,
    );
    expect(projectClientState(signedIn({ seeding: true })).problem?.code).toBe('fetching-answers');
  });

  it('says a second computer waits for approval before anyone is signed in', () => {
    const waiting = projectClientState({ session: null, awaitingApproval: true });
    expect(waiting).toMatchObject({ phase: 'signed-out', problem: { code: 'awaiting-approval' } });
    expect(projectClientState({ session: null, awaitingApproval: false }).problem).toBeNull();
  });
});
