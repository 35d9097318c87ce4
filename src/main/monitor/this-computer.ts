import type { ExamPackage } from '../../common/api';
import { logged, type Logger } from '../logger';
import type { ExamSession } from '../session/exam-session';
import { systemTimers } from '../timers';

import { linuxNames } from './catalogue';
import { builtInCatalogue } from './catalogue-data';
import type { ScreenPort } from './displays';
import { ExecutableFingerprints } from './fingerprints';
import { getWindowsReader } from './focus-monitor';
import { Monitoring } from './monitoring';
import { ProcSource } from './proc-source';
import { PsListSource } from './process-source';
import { PsSource } from './ps-source';
import { linuxListeningPorts } from './remote-ports';
import type { TerminateOutcome } from './terminate';
import { vmEvidenceFor } from './vm';

/**
 * The monitors of a signed-in exam on this computer, journaling through the session: the
 * Electron app's and the preview's (which has no Electron screen, so no display monitor).
 */
export async function monitorThisComputer(
  pkg: ExamPackage,
  session: Pick<ExamSession, 'record'>,
  screen: ScreenPort | null,
  logger: Logger,
  /** Ends processes; the preview passes one that ends nothing (default: ends them for real). */
  terminate?: (pids: number[]) => Promise<TerminateOutcome>,
): Promise<Monitoring> {
  const catalogue = builtInCatalogue();
  // ps-list (Windows: its fastlist helper) and get-windows are ESM and stay external to the
  // bundle; load them when needed.
  const source =
    process.platform === 'linux'
      ? new ProcSource('/proc', new ExecutableFingerprints(linuxNames(catalogue)))
      : process.platform === 'darwin'
        ? new PsSource()
        : new PsListSource((await import('ps-list')).default);
  const { activeWindow } = await import('get-windows');
  const monitoring = new Monitoring({
    policy: pkg.policy,
    catalogue,
    os: process.platform === 'win32' || process.platform === 'darwin' ? process.platform : 'linux',
    source,
    readActive: getWindowsReader(() => activeWindow()),
    screen,
    vm: vmEvidenceFor(process.platform, async () =>
      (await source.list()).map((running) => running.name),
    ),
    env: process.env,
    ...(process.platform === 'linux' ? { listeningPorts: () => linuxListeningPorts() } : {}),
    timers: systemTimers,
    mono: () => performance.now(),
    ...(terminate ? { terminate } : {}),
    record: (kind, payload) => {
      session.record(kind, payload).catch(logged(logger, `journaling ${kind}`));
    },
  });
  await monitoring.start();
  return monitoring;
}
