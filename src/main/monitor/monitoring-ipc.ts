import type { PreflightBlocker } from '../../common/events';
import type { PreflightReport } from '../../common/ipc';
import { IpcFailure, type IpcHandlers } from '../ipc-dispatch';

import type { Monitoring } from './monitoring';

/** What stands between the candidate and the exam, as the dashboard is told it. */
export function preflightBlockers(report: PreflightReport): PreflightBlocker[] {
  return [
    ...report.programs.map(({ friendlyName }) => ({
      code: 'program' as const,
      name: friendlyName,
    })),
    ...report.displayProblems,
    ...(report.vmBlocks ? [{ code: 'virtual-machine' as const }] : []),
    ...report.remoteSessions.map(({ via }) => ({ code: 'remote-session' as const, via })),
  ].slice(0, 20);
}

/** What the handlers read of the exam's monitors (`ExamMonitors`). */
export interface MonitorsView {
  readonly current: Monitoring | null;
  /** Why they did not start, once they were asked to. */
  readonly failed: string | null;
  /** Settles once a start under way has finished. */
  ready(): Promise<void>;
  /** What the checks found keeps the exam from starting (journaled when it changes). */
  blocked(blockers: PreflightBlocker[]): Promise<void>;
}

/** The monitors, or the refusal that says why there are none: preflight fails closed. */
async function running(monitors: MonitorsView): Promise<Monitoring> {
  await monitors.ready();
  if (monitors.current) return monitors.current;
  throw new IpcFailure(monitors.failed === null ? 'not-signed-in' : 'monitoring-failed');
}

/**
 * The IPC handlers with monitoring in them: the exam starts only when the monitors run and
 * preflight is clear (an invigilator's approval goes round this, through the session's
 * instructions), and the close button ends a program where the policy allows it.
 */
export function withMonitoring(handlers: IpcHandlers, monitors: MonitorsView): IpcHandlers {
  return {
    ...handlers,
    startExam: async (request) => {
      // An invigilator's leave goes round the checks, and round monitors that would not start.
      const { startApproved } = await handlers.getState({});
      if (!startApproved) {
        const report = (await running(monitors)).preflight();
        if (!report.clear) {
          throw new IpcFailure('preflight', { blockers: preflightBlockers(report).length });
        }
      }
      return handlers.startExam(request);
    },
    getPreflight: async () => {
      const report = (await running(monitors)).preflight();
      await monitors.blocked(preflightBlockers(report));
      return report;
    },
    closeProgram: async ({ name }) => ({
      outcome: await (await running(monitors)).closeProgram(name),
    }),
  };
}
