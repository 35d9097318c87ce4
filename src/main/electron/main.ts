import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import {
  app,
  BrowserWindow,
  ipcMain,
  powerSaveBlocker,
  protocol,
  safeStorage,
  screen,
  session as electronSession,
} from 'electron';
import log from 'electron-log/main';
import Store from 'electron-store';

import { EVENT_CHANNEL, IPC_CHANNELS, type IpcMethod } from '../../common/ipc';
import { resolveAppUrl } from '../app-protocol';
import { signedOutState } from '../client-state';
import { nodeFs } from '../fs-port';
import { dispatcherFor, IpcFailure, type IpcHandlers } from '../ipc-dispatch';
import { forbiddenSwitch } from '../launch-guard';
import { logged, type Logger } from '../logger';
import type { Monitoring } from '../monitor/monitoring';
import { withMonitoring } from '../monitor/monitoring-ipc';
import { monitorThisComputer } from '../monitor/this-computer';
import { ExamSession } from '../session/exam-session';
import { sessionDir } from '../session/session-file';
import { sessionHandlers } from '../session/session-ipc';
import { syncOver } from '../session/sync-parts';
import { ServerApi } from '../sync/server-api';
import { systemTimers } from '../timers';

import { ElectronStoreSettings } from './electron-store-settings';
import { kioskWindowOptions, lockDownWindow } from './kiosk-window';
import { SafeStorageKeys } from './safe-storage-keys';

/**
 * The composition root of the Electron client: the only place that wires Electron to the
 * plain services in src/main: the exam session (journal, sync, heartbeat), the monitors of the
 * signed-in exam, and the IPC handlers over both.
 */
const here = fileURLToPath(new URL('.', import.meta.url));
const production = app.isPackaged;

const forbidden = forbiddenSwitch(process.argv);
if (forbidden) {
  console.error(`Vakt will not start with ${forbidden}: it would allow the exam to be inspected.`);
  app.exit(1);
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
}

protocol.registerSchemesAsPrivileged([
  { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

const dataDir = join(app.getPath('userData'), 'exams');
let window: BrowserWindow | null = null;
/** Set once the session says the candidate may leave; until then closing is refused. */
let exitAllowed = false;
let monitoring: Monitoring | null = null;
/** electron-log: a file in the user's log folder, never answers or window titles. */
log.initialize();
const logger: Logger = { warn: (message, error) => log.warn(message, error ?? '') };

/**
 * The exam session and its IPC handlers. The server and its pinned key come from the managed
 * settings; outside a packaged build, VAKT_SERVER_URL and VAKT_SERVER_PUBLIC_KEY (set by
 * `npm start`) take precedence.
 */
async function buildHandlers(): Promise<{ handlers: IpcHandlers; session: ExamSession | null }> {
  const settings = await new ElectronStoreSettings(new Store()).read();
  const serverUrl = (!production && process.env.VAKT_SERVER_URL) || settings.serverUrl;
  const publicKey = (!production && process.env.VAKT_SERVER_PUBLIC_KEY) || settings.serverPublicKey;
  // Until someone signs in there are no monitors; withMonitoring answers once there are.
  const signInFirst = () => {
    throw new IpcFailure('not-signed-in');
  };
  if (!serverUrl || !publicKey) {
    const notConfigured = () => {
      throw new IpcFailure('not-configured');
    };
    const state = signedOutState();
    return {
      session: null,
      handlers: {
        getState: () => state,
        getExam: notConfigured,
        signIn: notConfigured,
        startExam: notConfigured,
        getPreflight: notConfigured,
        saveAnswer: notConfigured,
        submit: notConfigured,
        closeProgram: signInFirst,
        exportHandIn: notConfigured,
        requestExit: () => ({ allowed: true }),
      },
    };
  }
  const api = new ServerApi({ baseUrl: serverUrl });
  const session = new ExamSession({
    api,
    sync: syncOver(api, systemTimers, {}, logger),
    fs: nodeFs,
    dataDir,
    keys: new SafeStorageKeys(safeStorage, nodeFs, (journalId) => sessionDir(dataDir, journalId)),
    timers: systemTimers,
    mono: () => performance.now(),
    clientVersion: app.getVersion(),
    pinnedPublicKey: publicKey,
    onState: (state) => window?.webContents.send(EVENT_CHANNEL, { type: 'state', state }),
    onPhase: (phase) => {
      // Handed in, or leaving with leave: the monitors have nothing more to watch.
      if (phase === 'submitted' || phase === 'exiting') void stopMonitoring();
    },
    logger,
  });
  if (await session.resume()) await startMonitoring(session);
  const base = sessionHandlers(session, {
    handInDir: () => app.getPath('documents'),
    closeProgram: signInFirst,
    getPreflight: signInFirst,
  });
  const handlers = withMonitoring(
    {
      ...base,
      signIn: async (request) => {
        const state = await base.signIn(request);
        await startMonitoring(session);
        return state;
      },
    },
    () => monitoring,
  );
  return {
    session,
    handlers: {
      ...handlers,
      requestExit: async (request) => {
        const result = await handlers.requestExit(request);
        if (result.allowed) {
          exitAllowed = true;
          setImmediate(() => app.quit());
        }
        return result;
      },
    },
  };
}

async function stopMonitoring(): Promise<void> {
  const running = monitoring;
  monitoring = null;
  await running?.stop();
}

/** The monitors of the signed-in exam, journaling through the session. */
async function startMonitoring(session: ExamSession): Promise<void> {
  const pkg = session.examPackage;
  if (!pkg || monitoring) return;
  monitoring = await monitorThisComputer(
    pkg,
    session,
    {
      getAllDisplays: () => screen.getAllDisplays(),
      on: (event, listener) => screen.on(event as 'display-added', listener),
    },
    logger,
  );
}

function registerIpc(handlers: IpcHandlers): void {
  for (const method of Object.keys(IPC_CHANNELS) as IpcMethod[]) {
    const dispatch = dispatcherFor(method, handlers, (name, error) =>
      logger.warn(`IPC ${name} failed`, error),
    );
    ipcMain.handle(IPC_CHANNELS[method].channel, (event, request: unknown) =>
      dispatch(event.senderFrame?.url, request),
    );
  }
}

async function createWindow(session: ExamSession | null): Promise<void> {
  const rendererRoot = join(here, '../renderer');
  protocol.handle('app', async (request) => {
    const file = resolveAppUrl(rendererRoot, request.url);
    if (!file) return new Response('Not found', { status: 404 });
    try {
      return new Response(await readFile(file.path), { headers: { 'content-type': file.type } });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  });
  window = new BrowserWindow(
    kioskWindowOptions({
      preloadPath: join(here, '../preload/index.cjs'),
      production,
      spellcheck: false,
    }),
  );
  lockDownWindow(window, electronSession.defaultSession, production);
  window.once('ready-to-show', () => window?.show());
  window.on('blur', () => void monitoring?.focus.blurred());
  window.on('focus', () => void monitoring?.focus.focused());
  // Closing before submission needs the invigilator's leave or the exit code (requestExit).
  window.on('close', (event) => {
    if (exitAllowed || !session?.journalId) return;
    event.preventDefault();
    void session
      .record('exit.attempted', { via: 'window-close' })
      .catch(logged(logger, 'journaling a closing attempt'));
  });
  await window.loadURL('app://vakt/');
}

app.on('second-instance', () => {
  BrowserWindow.getAllWindows()[0]?.focus();
});

app
  .whenReady()
  .then(async () => {
    powerSaveBlocker.start('prevent-display-sleep');
    const { handlers, session } = await buildHandlers();
    registerIpc(handlers);
    await createWindow(session);
    app.on('before-quit', () => {
      void stopMonitoring();
      void session?.close();
    });
  })
  .catch((error: unknown) => {
    console.error('Vakt could not open its window:', error);
    app.exit(1);
  });
