import type {
  BrowserWindowConstructorOptions,
  Event as ElectronEvent,
  Input,
  Session,
  WebContents,
  WebContentsWillFrameNavigateEventParams,
} from 'electron';

import { APP_ORIGIN } from '../../common/ipc-channels';
import { isBlockedShortcut, type ShortcutPolicy } from '../lockdown/shortcuts';

export interface KioskOptions {
  preloadPath: string;
  /** Development builds keep devtools so the app can be debugged. */
  production: boolean;
}

/**
 * The exam window's options (DESIGN.md "Electron shell"). It opens as an ordinary window: the
 * lockdown engages kiosk, full screen and always-on-top when the exam starts, and releases
 * them after.
 */
export function kioskWindowOptions(options: KioskOptions): BrowserWindowConstructorOptions {
  return {
    show: false,
    // Spellcheck is governed per session (`setSpellCheckerEnabled`), off unless the policy says.
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
      spellcheck: true,
      navigateOnDragDrop: false,
      safeDialogs: true,
    },
  };
}

function isAppUrl(url: string): boolean {
  return url === APP_ORIGIN || url.startsWith(`${APP_ORIGIN}/`);
}

/**
 * The rules every web contents gets, the exam window's and any other that might ever be
 * created (`app.on('web-contents-created')`): navigation confined to app://vakt (the page and
 * every frame, redirects too), no new windows, no webviews, no Bluetooth picker, developer tools
 * closed again in production, and the shortcut filter in front of the page. Pastes reach the
 * page, whose paste guard asks the session (renderer/paste-guard.ts): one gate for keys, middle
 * click and drop, and a refusal is journaled.
 */
export function guardWebContents(
  contents: WebContents,
  shortcuts: () => ShortcutPolicy,
  options: { production: boolean },
): void {
  const refuseUnlessApp = (event: ElectronEvent, url: string) => {
    if (!isAppUrl(url)) event.preventDefault();
  };
  contents.on('will-navigate', (event, url) => refuseUnlessApp(event, url));
  contents.on('will-redirect', (event, url) => refuseUnlessApp(event, url));
  contents.on(
    'will-frame-navigate',
    (details: ElectronEvent<WebContentsWillFrameNavigateEventParams>) =>
      refuseUnlessApp(details, details.url),
  );
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('select-bluetooth-device', (event, _devices, callback) => {
    event.preventDefault();
    callback('');
  });
  if (options.production) contents.on('devtools-opened', () => contents.closeDevTools());
  contents.on('before-input-event', (event, input: Input) => {
    if (isBlockedShortcut(input, shortcuts())) event.preventDefault();
  });
}

/**
 * The session's rules: every permission, device and screen-capture request denied (the exam
 * needs no camera, microphone, notifications, full screen of its own, USB, HID, serial port or
 * display capture).
 */
export function guardSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.setDisplayMediaRequestHandler((_request, callback) => callback(null));
  session.on('select-hid-device', (event, _details, callback) => {
    event.preventDefault();
    callback(null);
  });
  session.on('select-usb-device', (event, _details, callback) => {
    event.preventDefault();
    callback();
  });
  session.on('select-serial-port', (event, _ports, _contents, callback) => {
    event.preventDefault();
    callback('');
  });
}
