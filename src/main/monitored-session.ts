import type { ExamPackage } from '../common/api';
import type { Device } from '../common/device';
import type { ClientState, SignInDefaults } from '../common/ipc';
import type { LifecyclePhase } from '../common/session-phase';

import { nodeFs } from './fs-port';
import { IpcFailure, type IpcHandlers } from './ipc-dispatch';
import type { KeyProvider } from './key-provider';
import type { Logger } from './logger';
import { DeviceWatch } from './monitor/device-watch';
import { ExamMonitors } from './monitor/exam-monitors';
import type { Monitoring } from './monitor/monitoring';
import { withMonitoring } from './monitor/monitoring-ipc';
import { ExamSession } from './session/exam-session';
import { sessionHandlers } from './session/session-ipc';
import { syncOver, type SyncTuning } from './session/sync-parts';
import type { ServerApi } from './sync/server-api';
import { systemTimers } from './timers';

/** What differs between the Electron app and the preview: everything else is wired here. */
export interface ClientWiring {
  api: ServerApi;
  dataDir: string;
  keys: KeyProvider;
  clientVersion: string;
  /** The server's Ed25519 key(s) from the managed settings. */
  pinnedPublicKeys: readonly string[];
  onState: (state: ClientState) => void;
  /** Sync timing (tests make the heartbeat quick); none in production. */
  tuning?: SyncTuning;
}

export interface MonitoredSessionOptions {
  client: ClientWiring;
  /** Each phase as the session announces it, after the monitors have heard of it. */
  onPhase?: (phase: LifecyclePhase) => void;
  /**
   * Starts this computer's monitors for an exam, journaling through the session
   * (`monitorThisComputer`); null runs none (a preview in tests).
   */
  monitor: ((pkg: ExamPackage, session: ExamSession) => Promise<Monitoring>) | null;
  /** Where an exported hand-in file goes. */
  handInDir: () => string;
  /** The configured server and a linked exam code, for the sign-in screen. */
  signInDefaults: () => SignInDefaults;
  /** Reads the laptop's battery and network (readLinuxDevice on Linux); null reads nothing. */
  readDevice: (() => Promise<Device>) | null;
  /** How often (DEVICE_READ_MS unless a test hurries it). */
  deviceReadMs?: number;
  logger: Logger;
}

/**
 * The exam session with its monitors and the IPC handlers over both, as the Electron app and
 * the browser preview wire them: the monitors follow the session's phases (from preflight until
 * handed in or leaving); the exam starts only when they run and preflight is clear. Without
 * monitors there is no preflight to pass.
 */
export async function monitoredSession(options: MonitoredSessionOptions): Promise<{
  session: ExamSession;
  monitors: ExamMonitors | null;
  handlers: IpcHandlers;
  /** Reading the battery and network until stopped (null: nothing is read). */
  device: DeviceWatch | null;
}> {
  const { monitor, logger } = options;
  let monitors: ExamMonitors | null = null;
  const { api, tuning, ...client } = options.client;
  const device = options.readDevice
    ? new DeviceWatch(options.readDevice, systemTimers, options.deviceReadMs)
    : null;
  device?.start();
  // Set below: the handlers the exam starts through once it opens, checks and all.
  let handlers: IpcHandlers | null = null;
  const session = new ExamSession({
    ...client,
    ...(device ? { device } : {}),
    api,
    sync: syncOver(api, systemTimers, tuning ?? {}, logger),
    fs: nodeFs,
    timers: systemTimers,
    mono: () => performance.now(),
    logger,
    onPhase: (phase) => {
      monitors?.follow(phase);
      options.onPhase?.(phase);
    },
    // The waiting room's end: the exam starts by itself when the checks are clear; otherwise
    // the checklist stays, and the candidate starts once it is.
    onOpened: () => {
      if (!handlers) return;
      void Promise.resolve()
        .then(() => handlers?.startExam({}))
        .catch((error: unknown) => {
          if (!(error instanceof IpcFailure))
            logger.warn('starting the exam at its opening', error);
        });
    },
  });
  const base = sessionHandlers(session, {
    handInDir: options.handInDir,
    getSignInDefaults: options.signInDefaults,
    closeProgram: () => {
      throw new IpcFailure('not-signed-in');
    },
    getPreflight: () => ({ ...CLEAR }),
  });
  if (!monitor) {
    handlers = base;
    await session.resume();
    return { session, monitors: null, handlers: base, device };
  }
  const watched = new ExamMonitors({
    examPackage: () => session.examPackage,
    start: (pkg) => monitor(pkg, session),
    record: (kind, payload) => session.record(kind, payload),
    logger,
  });
  monitors = watched;
  // A resumed exam announces its phase, which starts the monitors.
  const monitored = withMonitoring(base, watched);
  handlers = monitored;
  await session.resume();
  return { session, monitors, handlers: monitored, device };
}

/** Preflight with nothing watched: nothing stands in the way. */
const CLEAR = {
  programs: [],
  displays: [],
  displayProblems: [],
  vmFindings: [],
  vmBlocks: false,
  remoteSessions: [],
  focusWarning: null,
  recorded: { programs: [], focus: false, windowTitles: false, displays: false },
  clear: true,
};
