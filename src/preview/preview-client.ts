import { join } from 'node:path';

import { nodeFs } from '../main/fs-port';
import { consoleLogger, type Logger } from '../main/logger';
import { readLinuxDevice } from '../main/monitor/device-reader';
import type { TerminateOutcome } from '../main/monitor/terminate';
import { monitorThisComputer } from '../main/monitor/this-computer';
import { monitoredSession } from '../main/monitored-session';
import { SafeStorageKeys, type KeyStore } from '../main/safe-storage-keys';
import type { ExamSession } from '../main/session/exam-session';
import { sessionDir } from '../main/session/session-file';
import type { SyncTuning } from '../main/session/sync-parts';
import { ServerApi } from '../main/sync/server-api';

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
  /**
   * End the programs an exam would end (remote access, the close button). Off by default: the
   * preview runs on someone's own computer, where nothing is an exam, so it only reports.
   */
  endPrograms?: boolean;
  /** A /sys/class to read the battery and network from (tests fake one); none reads nothing. */
  deviceRoot?: string;
  /** How often it is read (tests hurry it). */
  deviceReadMs?: number;
  logger?: Logger;
}

/** What ends a program in the preview: nothing (it says it may not, and the program runs on). */
const endNothing = (): Promise<TerminateOutcome> => Promise.resolve('not-permitted');

/** The journal key kept in the clear: the preview has no OS key store. Never in the app. */
const UNPROTECTED: KeyStore = {
  isAsyncEncryptionAvailable: () => Promise.resolve(true),
  encryptStringAsync: (text: string) => Promise.resolve(Buffer.from(text, 'utf8')),
  decryptStringAsync: (data: Buffer) =>
    Promise.resolve({ result: data.toString('utf8'), shouldReEncrypt: false }),
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
  let preview: PreviewServer | null = null;
  const { deviceRoot } = options;
  const { session, monitors, handlers, device } = await monitoredSession({
    client: {
      api,
      dataDir: options.dataDir,
      keys: new SafeStorageKeys(UNPROTECTED, nodeFs, (id) => sessionDir(options.dataDir, id)),
      clientVersion: options.clientVersion,
      pinnedPublicKeys: [options.serverPublicKey],
      onState: (state) => preview?.push({ type: 'state', state }),
      ...(options.tuning ? { tuning: options.tuning } : {}),
    },
    monitor:
      options.monitor === false
        ? null
        : (pkg, session) =>
            monitorThisComputer(
              pkg,
              session,
              null,
              logger,
              options.endPrograms ? undefined : endNothing,
            ),
    handInDir: () => join(options.dataDir, 'hand-in'),
    readDevice: deviceRoot ? () => readLinuxDevice(deviceRoot) : null,
    ...(options.deviceReadMs !== undefined ? { deviceReadMs: options.deviceReadMs } : {}),
    signInDefaults: () => ({
      server: new URL(options.serverPublicUrl ?? options.serverUrl).host,
      examCode: null,
      language: null,
      configProblem: null,
      updateAvailable: null,
    }),
    logger,
  });
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
      await monitors?.stop();
      await device?.stop();
      await server.close();
      await session.close();
    },
  };
}
