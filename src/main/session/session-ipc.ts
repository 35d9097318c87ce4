import { IpcFailure, type IpcHandlers } from '../ipc-dispatch';

import type { ExamSession } from './exam-session';
import { SessionError } from './session-error';

export interface SessionIpcOptions {
  /** The folder a hand-in file is written to (the candidate's Documents in production). */
  handInDir: () => string;
  /** Ending a prohibited program from preflight: the process monitor's job. */
  closeProgram: IpcHandlers['closeProgram'];
  /** The preflight checklist: the monitors' job. */
  getPreflight: IpcHandlers['getPreflight'];
  /** The configured server and a linked exam code: the composition root's to say. */
  getSignInDefaults: IpcHandlers['getSignInDefaults'];
}

/**
 * The IPC handlers backed by the exam session; the composition root registers them. The one
 * place where the session's domain errors become IPC errors.
 */
export function sessionHandlers(session: ExamSession, options: SessionIpcOptions): IpcHandlers {
  return {
    getState: () => session.state(),
    getExam: ipc(() => session.exam()),
    getSignInDefaults: options.getSignInDefaults,
    signIn: ipc((request) => session.signIn(request)),
    startExam: ipc(() => session.startExam()),
    getPreflight: options.getPreflight,
    saveAnswer: ipc((request) =>
      session.saveAnswer(request.questionId, request.value, request.leaving),
    ),
    submit: ipc(() => session.submit()),
    closeProgram: options.closeProgram,
    exportHandIn: ipc(() => session.exportHandIn(options.handInDir())),
    requestExit: ipc((request) => session.requestExit(request.exitCode)),
    readMessage: ipc((request) => session.readMessage(request.id)),
    raiseHand: ipc((request) => session.raiseHand(request.text)),
    keepPlace: ipc((request) => session.keepPlace(request)),
    lowerHand: ipc(() => session.lowerHand()),
    clipboard: ipc((request) => session.clipboard(request)),
  };
}

/** Runs a session call, turning its SessionError into the IPC's IpcFailure. */
function ipc<R, T>(call: (request: R) => T | Promise<T>): (request: R) => Promise<T> {
  return async (request) => {
    try {
      return await call(request);
    } catch (error) {
      if (error instanceof SessionError) throw new IpcFailure(error.code, error.params);
      throw error;
    }
  };
}
