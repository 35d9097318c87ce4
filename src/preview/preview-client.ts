import { join } from 'node:path';

import { SafeStorageKeys } from '../main/electron/safe-storage-keys';
import { nodeFs } from '../main/fs-port';
import { IpcFailure, type IpcHandlers } from '../main/ipc-dispatch';
import { consoleLogger, type Logger } from '../main/logger';
import type { Monitoring } from '../main/monitor/monitoring';
import { withMonitoring } from '../main/monitor/monitoring-ipc';
import { monitorThisComputer } from '../main/monitor/this-computer';
import { ExamSession } from '../main/session/exam-session';
import { sessionDir } from '../main/session/session-file';
import { sessionHandlers } from '../main/session/session-ipc';
import { syncOver, type SyncTuning } from '../main/session/sync-parts';
import { ServerApi } from '../main/sync/server-api';
import { systemTimers } from '../main/timers';

import { startPreviewServer, type PreviewServer } from './preview-server';

export interface PreviewOptions {
  serverUrl: string;
  /** The server's configured public URL, if requests reach it another way (a test's proxy). */
  serverPublicUrl?: string;
  /** Sync timing (tests make the heartbeat quick). */
  tuning?: SyncTuning;
  /** The server's signing key, pinned as a managed install pins it. */
  serverPublicKey: string;
  /** Where the journal and session files go (a folder of the preview's own). */
  dataDir: string;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  clientVersion: string;
  port?: number;
  /** Run the monitors (false in tests that have nothing to watch). */
  monitor?: boolean;
  logger?: Logger;
}

/** The journal key kept in the clear: the preview has no OS key store. Never in the app. */
const UNPROTECTED = {
  isEncryptionAvailable: () => true,
  encryptString: (text: string) => Buffer.from(text, 'utf8'),
  decryptString: (data: Buffer) => data.toString('utf8'),
};

/**
 * The candidate UI in a normal browser, driven by the real client services in Node: the exam
 * session (journal, sync, heartbeat) and the monitors, wired as the Electron composition root
 * wires them, minus Electron. `npm start` offers it where the Electron binary is missing.
 */
export async function startPreview(
  options: PreviewOptions,
): Promise<{ server: PreviewServer; session: ExamSession; close(): Promise<void> }> {
  const logger = options.logger ?? consoleLogger;
  const api = new ServerApi({
    baseUrl: options.serverUrl,
    ...(options.serverPublicUrl ? { publicUrl: options.serverPublicUrl } : {}),
  });
  let monitoring: Monitoring | null = null;
  let preview: PreviewServer | null = null;
  const stopMonitoring = async () => {
    const running = monitoring;
    monitoring = null;
    await running?.stop();
  };
  const session = new ExamSession({
    api,
    sync: syncOver(api, systemTimers, options.tuning ?? {}, logger),
    fs: nodeFs,
    dataDir: options.dataDir,
    keys: new SafeStorageKeys(UNPROTECTED, nodeFs, (id) => sessionDir(options.dataDir, id)),
    timers: systemTimers,
    mono: () => performance.now(),
    clientVersion: options.clientVersion,
    pinnedPublicKey: options.serverPublicKey,
    onState: (state) => preview?.push({ type: 'state', state }),
    onPhase: (phase) => {
      if (phase === 'submitted' || phase === 'exiting') void stopMonitoring();
    },
    logger,
  });
  const startMonitoring = async () => {
    const pkg = session.examPackage;
    if (!pkg || monitoring || options.monitor === false) return;
    monitoring = await monitorThisComputer(pkg, session, null, logger);
  };
  if (await session.resume()) await startMonitoring();
  const notMonitored = () => {
    throw new IpcFailure('not-signed-in');
  };
  const base = sessionHandlers(session, {
    handInDir: () => join(options.dataDir, 'hand-in'),
    closeProgram: notMonitored,
    getPreflight: () => ({ ...emptyPreflight }),
  });
  const handlers: IpcHandlers = withMonitoring(
    {
      ...base,
      signIn: async (request) => {
        const state = await base.signIn(request);
        await startMonitoring();
        return state;
      },
    },
    () => monitoring,
  );
  // Without monitors (tests), preflight is clear.
  if (options.monitor === false) handlers.getPreflight = () => ({ ...emptyPreflight });
  preview = await startPreviewServer({
    rendererDir: options.rendererDir,
    handlers,
    logger,
    ...(options.port !== undefined ? { port: options.port } : {}),
  });
  const server = preview;
  return {
    server,
    session,
    close: async () => {
      await stopMonitoring();
      await server.close();
      await session.close();
    },
  };
}

const emptyPreflight = {
  programs: [],
  displays: [],
  displayProblems: [],
  vmFindings: [],
  vmBlocks: false,
  remoteSessions: [],
  focusWarning: null,
  clear: true,
};
