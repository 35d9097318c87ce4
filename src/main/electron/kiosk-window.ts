import type { BrowserWindow, BrowserWindowConstructorOptions, Session } from 'electron';

import { APP_ORIGIN } from '../../common/ipc-channels';
import { isBlockedShortcut } from '../shortcut-filter';

export interface KioskOptions {
  preloadPath: string;
  /** Development builds keep devtools and leave kiosk mode off so the app can be debugged. */
  production: boolean;
  spellcheck: boolean;
}

/** The exam window's options (DESIGN.md "Electron shell"). */
export function kioskWindowOptions(options: KioskOptions): BrowserWindowConstructorOptions {
  return {
    show: false,
    kiosk: options.production,
    fullscreen: options.production,
    alwaysOnTop: options.production,
    autoHideMenuBar: true,
    backgroundColor: '#ffffff',
    title: 'Vakt',
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      devTools: !options.production,
      spellcheck: options.spellcheck,
      navigateOnDragDrop: false,
      safeDialogs: true,
    },
  };
}

function isAppUrl(url: string): boolean {
  return url === APP_ORIGIN || url.startsWith(`${APP_ORIGIN}/`);
}

/** Confines the window to app://vakt and filters shortcuts; takes Electron objects so it can be tested with fakes. */
export function lockDownWindow(window: BrowserWindow, session: Session, production: boolean): void {
  if (production) {
    window.setAlwaysOnTop(true, 'screen-saver');
    window.setContentProtection(true);
    window.setMenu(null);
  }
  const contents = window.webContents;
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('before-input-event', (event, input) => {
    if (isBlockedShortcut(input)) event.preventDefault();
  });
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}
