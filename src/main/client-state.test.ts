import { describe, expect, it } from 'vitest';

import { problem } from '../common/problems';

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
      receipt: null,
      connectivity: 'online',
      clockOffsetMs: 0,
      lastAckAt: null,
      watermark: 0,
      unsyncedRecords: 0,
      unsavedQuestions: [],
      storageErrno: null,
      uploadProblem: null,
      seeding: false,
      replacedAfter: null,
      opening: null,
      ...overrides,
    },
  };
}

describe('the state the candidate UI shows', () => {
  it('shows the waiting room only while the checks are under way', () => {
    const opening = { opensAt: 1_000, title: 'Norsk' };
    const waiting = signedIn({ opening, records: { ...initialRecordState(), phase: 'preflight' } });
    expect(projectClientState(waiting).opening).toEqual(opening);
    // Started (an old package must not hold a running exam in the waiting room).
    expect(projectClientState(signedIn({ opening })).opening).toBeNull();
  });

  it('is submitted only with a receipt whose hash the server could match', () => {
    expect(projectClientState(signedIn()).phase).toBe('submitting');
    expect(projectClientState(signedIn({ receipt })).phase).toBe('submitted');
    const mismatch = projectClientState(signedIn({ receipt: { ...receipt, matches: false } }));
    expect(mismatch.phase).toBe('submitting');
    expect(mismatch.problem).toEqual({ code: 'receipt-mismatch', params: {} });
  });

  it('shows the most urgent problem: storage, then uploads, then the rest', () => {
    const upload = problem('client-too-old', { minimumVersion: '2.0.0' });
    const all = signedIn({
      storageErrno: 'ENOSPC',
      uploadProblem: upload,
      receipt: { ...receipt, matches: false },
      seeding: true,
    });
    expect(projectClientState(all).problem).toEqual({ code: 'disk-full', params: {} });
    expect(projectClientState(signedIn({ storageErrno: 'EROFS' })).problem).toEqual({
      code: 'storage-denied',
      params: { errno: 'EROFS' },
    });
    expect(projectClientState(signedIn({ uploadProblem: upload, seeding: true })).problem).toEqual(
      upload,
    );
    expect(projectClientState(signedIn({ seeding: true })).problem?.code).toBe('fetching-answers');
  });

  it('on a replaced device, says so and never calls a later save received', () => {
    const records = {
      ...initialRecordState(),
      phase: 'in-progress' as const,
      answers: { q1: { type: 'short-text', text: 'a' }, q2: { type: 'short-text', text: 'b' } },
      answerSeq: { q1: 4, q2: 9 },
    } as const;
    // The server stored up to 12, but this device was replaced when it had 6.
    const state = projectClientState(signedIn({ records, watermark: 12, replacedAfter: 6 }));
    expect(state.problem).toEqual({ code: 'replaced', params: {} });
    expect(state.saves).toEqual({ q1: 'received-by-server', q2: 'saved-locally' });
  });

  it('carries codes and parameters, never sentences', () => {
    const state = projectClientState(signedIn({ storageErrno: 'EIO' }));
    expect(state.problem).toEqual({ code: 'storage-failed', params: { errno: 'EIO' } });
    // (The invigilator's `messages` are the one text the state carries, as written.)
    expect(JSON.stringify({ ...state, messages: undefined })).not.toMatch(/message/);
  });

  it('tells, per question, unsaved from saved on this computer from received by the server', () => {
    const records = {
      ...initialRecordState(),
      phase: 'in-progress' as const,
      answers: { q1: { type: 'short-text', text: 'a' }, q2: { type: 'short-text', text: 'b' } },
      answerSeq: { q1: 4, q2: 9 },
    } as const;
    const state = projectClientState(
      signedIn({ records: { ...records }, watermark: 6, unsavedQuestions: ['q3'] }),
    );
    expect(state.saves).toEqual({
      q1: 'received-by-server',
      q2: 'saved-locally',
      q3: 'unsaved',
    });
    // Typed again after it was saved: the newer value is not on disk yet.
    expect(
      projectClientState(signedIn({ records: { ...records }, unsavedQuestions: ['q1'] })).saves.q1,
    ).toBe('unsaved');
  });

  it('says a second computer waits for approval before anyone is signed in', () => {
    const waiting = projectClientState({ session: null, awaitingApproval: true });
    expect(waiting).toMatchObject({ phase: 'signed-out', problem: { code: 'awaiting-approval' } });
    expect(projectClientState({ session: null, awaitingApproval: false }).problem).toBeNull();
  });
});
