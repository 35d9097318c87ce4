import { realpathSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

import { app, protocol } from 'electron';
import log from 'electron-log/main';
import Store from 'electron-store';

import { refusalMessage, refusedLaunch } from '../lockdown/launch-guard';
import type { Logger } from '../logger';
import { effectiveSettings } from '../managed/effective-settings';
import { managedSourceFor } from '../managed/for-this-os';
import { isPerMachineInstall } from '../managed/install-scope';

import { ElectronStoreSettings } from './electron-store-settings';
import { VaktApp } from './vakt-app';

/**
 * Vakt's entry point: refuse a launch that could let the exam be inspected, keep to one
 * instance, register app://, then build and start the client (`VaktApp`) once Electron is ready.
 */
const here = fileURLToPath(new URL('.', import.meta.url));
const packaged = app.isPackaged;
// A development build keeps developer tools, unless a test asks for the packaged build's rules.
const production = packaged || process.env.VAKT_PRODUCTION_RULES === '1';
const { VAKT_SERVER_URL: serverUrl, VAKT_SERVER_PUBLIC_KEY: serverKey } = process.env;
/** Outside a packaged build, `npm start` and the tests point Vakt at a local server. */
const serverOverride =
  !packaged && serverUrl && serverKey ? { url: serverUrl, publicKey: serverKey } : null;

const refusal = refusedLaunch({
  argv: process.argv,
  env: process.env,
  platform: process.platform,
  commandLine: app.commandLine,
  // A development build may be driven by a test (Playwright attaches a debugger) unless the
  // test asks for the packaged build's rules.
  allowDebugging: !packaged && process.env.VAKT_STRICT_LAUNCH !== '1',
  execDir: dirname(realpathSync(process.execPath)),
});
if (refusal) {
  console.error(refusalMessage(refusal));
  app.exit(1);
} else if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  protocol.registerSchemesAsPrivileged([
    { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
  // electron-log: a file in the user's log folder, never answers or window titles.
  log.initialize();
  const logger: Logger = { warn: (message, error) => log.warn(message, error ?? '') };
  const settings = await effectiveSettings(
    managedSourceFor(process.platform),
    await new ElectronStoreSettings(new Store()).read(),
    {
      packaged,
      perMachine: isPerMachineInstall(app.getPath('exe'), process.platform, process.env),
      platform: process.platform,
    },
  );
  app
    .whenReady()
    .then(async () => {
      VaktApp.serveRenderer(here, protocol);
      await new VaktApp({ here, production, settings, serverOverride, logger }).start();
    })
    .catch((error: unknown) => {
      console.error('Vakt could not open its window:', error);
      app.exit(1);
    });
}
