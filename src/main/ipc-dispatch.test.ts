import { describe, expect, it, vi } from 'vitest';

import { signedOutState } from './client-state';
import { dispatcherFor, IpcFailure, isTrustedSender, type IpcHandlers } from './ipc-dispatch';

function handlers(overrides: Partial<IpcHandlers> = {}): IpcHandlers {
  const fail = () => {
    throw new IpcFailure('not-ready', { retryInSeconds: 5 });
  };
  return {
    getState: () => signedOutState(),
    getExam: fail,
    getSignInDefaults: () => ({
      server: null,
      examCode: null,
      language: null,
      configProblem: null,
      updateAvailable: null,
    }),
    signIn: fail,
    startExam: fail,
    getPreflight: fail,
    saveAnswer: () => ({ saved: true }),
    submit: fail,
    closeProgram: fail,
    exportHandIn: fail,
    requestExit: fail,
    readMessage: fail,
    raiseHand: fail,
    lowerHand: fail,
    keepPlace: fail,
    clipboard: fail,
    ...overrides,
  };
}

const APP = 'app://vakt/index.html';

describe('IPC dispatch', () => {
  it('accepts only our own window at app://vakt', () => {
    expect(isTrustedSender('app://vakt/')).toBe(true);
    expect(isTrustedSender(APP)).toBe(true);
    expect(isTrustedSender('app://evil/')).toBe(false);
    expect(isTrustedSender('https://vakt/')).toBe(false);
    expect(isTrustedSender('file:///tmp/index.html')).toBe(false);
    expect(isTrustedSender(undefined)).toBe(false);
    expect(isTrustedSender('not a url')).toBe(false);
  });

  it('refuses a call from another frame without running the handler', async () => {
    const saveAnswer = vi.fn(() => ({ saved: true }));
    const dispatch = dispatcherFor('saveAnswer', handlers({ saveAnswer }), vi.fn());
    const result = await dispatch('https://example.com/', {
      questionId: 'q1',
      value: { type: 'short-text', text: 'x' },
    });
    expect(result).toEqual({ ok: false, error: expect.objectContaining({ code: 'forbidden' }) });
    expect(saveAnswer).not.toHaveBeenCalled();
  });

  it('validates the payload with the shared schema and says what is wrong', async () => {
    const saveAnswer = vi.fn(() => ({ saved: true }));
    const dispatch = dispatcherFor('saveAnswer', handlers({ saveAnswer }), vi.fn());
    const result = await dispatch(APP, { questionId: 'q1', value: { type: 'essay', text: 'x' } });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.code).toBe('invalid-request');
    expect(!result.ok && result.error.params.detail).toMatch(/^request\.value\.type: /);
    expect(saveAnswer).not.toHaveBeenCalled();
  });

  it('passes the parsed request (defaults filled) and wraps the value', async () => {
    const saveAnswer = vi.fn(() => ({ saved: true }));
    const dispatch = dispatcherFor('saveAnswer', handlers({ saveAnswer }), vi.fn());
    const value = { type: 'short-text', text: 'Oslo' } as const;
    expect(await dispatch(APP, { questionId: 'q1', value })).toEqual({
      ok: true,
      value: { saved: true },
    });
    expect(saveAnswer).toHaveBeenCalledWith({ questionId: 'q1', value, leaving: false });
  });

  it('carries an IpcFailure as a code with parameters and hides unexpected errors', async () => {
    const onUnexpected = vi.fn();
    const failing = dispatcherFor('submit', handlers(), onUnexpected);
    expect(await failing(APP, {})).toEqual({
      ok: false,
      error: { code: 'not-ready', params: { retryInSeconds: 5 } },
    });

    const boom = new Error('disk exploded at /home/kari/.config');
    const crashing = dispatcherFor(
      'getState',
      handlers({
        getState: () => {
          throw boom;
        },
      }),
      onUnexpected,
    );
    const result = await crashing(APP, undefined);
    expect(result).toEqual({ ok: false, error: expect.objectContaining({ code: 'internal' }) });
    expect(JSON.stringify(result)).not.toContain('/home/kari');
    expect(onUnexpected).toHaveBeenCalledWith('getState', boom);
  });
});
