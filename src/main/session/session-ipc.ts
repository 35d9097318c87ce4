import type { IpcHandlers } from '../ipc-dispatch';

import type { ExamSession } from './exam-session';

export interface SessionIpcOptions {
  /** The folder a hand-in file is written to (the candidate's Documents in production). */
  handInDir: () => string;
  /** Ending a prohibited program from preflight: the process monitor's job. */
  closeProgram: IpcHandlers['closeProgram'];
  /** The preflight checklist: the monitors' job. */
  getPreflight: IpcHandlers['getPreflight'];
}

/** The IPC handlers backed by the exam session; the composition root registers them. */
export function sessionHandlers(session: ExamSession, options: SessionIpcOptions): IpcHandlers {
  return {
    getState: () => session.state(),
    signIn: (request) => session.signIn(request),
    startExam: () => session.startExam(),
    getPreflight: options.getPreflight,
    saveAnswer: (request) => session.saveAnswer(request.questionId, request.value, request.leaving),
    submit: () => session.submit(),
    closeProgram: options.closeProgram,
    exportHandIn: () => session.exportHandIn(options.handInDir()),
    requestExit: (request) => session.requestExit(request.exitCode),
  };
}
