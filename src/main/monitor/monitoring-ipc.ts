import type { PreflightReport } from '../../common/ipc';
import { IpcFailure, type IpcHandlers } from '../ipc-dispatch';

import type { Monitoring } from './monitoring';

/** How many things stand between the candidate and the exam; the report says which. */
export function preflightBlockers(report: PreflightReport): number {
  return (
    report.programs.length +
    report.displayProblems.length +
    (report.vmBlocks ? 1 : 0) +
    report.remoteSessions.length
  );
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
        throw new IpcFailure('preflight', { blockers: preflightBlockers(report) });
      }
      return handlers.startExam(request);
    },
    getPreflight: () => {
      const current = monitoring();
      if (!current) throw new IpcFailure('not-signed-in');
      return current.preflight();
    },
    closeProgram: async ({ name }) => {
      const current = monitoring();
      if (!current) throw new IpcFailure('not-signed-in');
      return { outcome: await current.closeProgram(name) };
    },
  };
}
