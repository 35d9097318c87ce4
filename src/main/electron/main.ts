import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { app, BrowserWindow, ipcMain, powerSaveBlocker, protocol, session } from 'electron';

import { IPC_CHANNELS, type IpcMethod } from '../../common/ipc';
import { resolveAppUrl } from '../app-protocol';
import { signedOutState } from '../client-state';
import { dispatcherFor, IpcFailure, type IpcHandlers } from '../ipc-dispatch';
import { forbiddenSwitch } from '../launch-guard';

import { kioskWindowOptions, lockDownWindow } from './kiosk-window';

/**
 * The composition root of the Electron client: the only place that wires Electron to the
 * plain services in src/main. The client services (journal, sync, monitors, session) are built
 * here as their issues land.
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

const state = signedOutState();
const notReady = () => {
  throw new IpcFailure('not-ready', 'This part of Vakt is not built yet.');
};
const handlers: IpcHandlers = {
  getState: () => state,
  signIn: notReady,
  saveAnswer: notReady,
  submit: notReady,
  closeProgram: notReady,
  exportHandIn: notReady,
  requestExit: notReady,
};

function registerIpc(): void {
  for (const method of Object.keys(IPC_CHANNELS) as IpcMethod[]) {
    const dispatch = dispatcherFor(method, handlers, (name, error) =>
      console.error(`IPC ${name} failed:`, error),
    );
    ipcMain.handle(IPC_CHANNELS[method].channel, (event, request: unknown) =>
      dispatch(event.senderFrame?.url, request),
    );
  }
}

async function createWindow(): Promise<void> {
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
  const window = new BrowserWindow(
    kioskWindowOptions({
      preloadPath: join(here, '../preload/index.cjs'),
      production,
      spellcheck: false,
    }),
  );
  lockDownWindow(window, session.defaultSession, production);
  window.once('ready-to-show', () => window.show());
  await window.loadURL('app://vakt/');
}

app.on('second-instance', () => {
  BrowserWindow.getAllWindows()[0]?.focus();
});

app
  .whenReady()
  .then(async () => {
    powerSaveBlocker.start('prevent-display-sleep');
    registerIpc();
    await createWindow();
  })
  .catch((error: unknown) => {
    console.error('Vakt could not open its window:', error);
    app.exit(1);
  });
