import type { PreflightReport } from '../../common/ipc';
import { IpcFailure, type IpcHandlers } from '../ipc-dispatch';

import type { Monitoring } from './monitoring';

/** The preflight checklist in words, one line per thing to fix. */
export function preflightProblems(report: PreflightReport): string[] {
  return [
    ...report.programs.map((program) => `Close ${program.friendlyName}.`),
    ...report.displayProblems,
    ...(report.vmBlocks
      ? ['This exam cannot be taken in a virtual machine. Ask the invigilator.']
      : []),
    ...report.remoteSessions.map(
      (session) => `A remote session was detected (${session.detail}). End it.`,
    ),
  ];
}

/**
 * The IPC handlers with monitoring in them: the exam starts only when preflight is clear (an
 * invigilator's approval goes round this, through the session's instructions), and the close
 * button ends a program where the policy allows it.
 */
export function withMonitoring(
  handlers: IpcHandlers,
  monitoring: () => Monitoring | null,
): IpcHandlers {
  return {
    ...handlers,
    startExam: async (request) => {
      const report = monitoring()?.preflight();
      if (report && !report.clear) {
        throw new IpcFailure('preflight', preflightProblems(report).join(' '));
      }
      return handlers.startExam(request);
    },
    getPreflight: () => {
      const current = monitoring();
      if (!current) throw new IpcFailure('not-signed-in', 'Sign in first.');
      return current.preflight();
    },
    closeProgram: async ({ name }) => {
      const current = monitoring();
      if (!current) throw new IpcFailure('not-signed-in', 'Sign in first.');
      return { outcome: await current.closeProgram(name) };
    },
  };
}
