import { EventEmitter } from 'node:events';

import type { BrowserWindow, Session } from 'electron';
import { describe, expect, it, vi } from 'vitest';

import { kioskWindowOptions, lockDownWindow } from './kiosk-window';

/** A small fake of the BrowserWindow surface lockDownWindow touches; never imports electron. */
function fakeWindow() {
  const contents = Object.assign(new EventEmitter(), { setWindowOpenHandler: vi.fn() });
  const window = {
    webContents: contents,
    setAlwaysOnTop: vi.fn(),
    setContentProtection: vi.fn(),
    setMenu: vi.fn(),
  };
  const session = { setPermissionRequestHandler: vi.fn(), setPermissionCheckHandler: vi.fn() };
  return { window, contents, session };
}

function emitPrevented(emitter: EventEmitter, name: string, ...args: unknown[]): boolean {
  const event = { preventDefault: vi.fn() };
  emitter.emit(name, event, ...args);
  return event.preventDefault.mock.calls.length > 0;
}

describe('kiosk window', () => {
  it('isolates and sandboxes the renderer, production without devtools', () => {
    const options = kioskWindowOptions({
      preloadPath: '/p.cjs',
      production: true,
      spellcheck: false,
    });
    expect(options).toMatchObject({ kiosk: true, fullscreen: true, alwaysOnTop: true });
    expect(options.webPreferences).toMatchObject({
      preload: '/p.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      devTools: false,
      spellcheck: false,
      webSecurity: true,
    });
  });

  it('confines navigation to app://vakt and denies new windows and permissions', () => {
    const { window, contents, session } = fakeWindow();
    lockDownWindow(window as unknown as BrowserWindow, session as unknown as Session, true);

    expect(window.setAlwaysOnTop).toHaveBeenCalledWith(true, 'screen-saver');
    expect(window.setContentProtection).toHaveBeenCalledWith(true);
    expect(emitPrevented(contents, 'will-navigate', 'https://chat.example.com/')).toBe(true);
    expect(emitPrevented(contents, 'will-navigate', 'app://vakt.evil/')).toBe(true);
    expect(emitPrevented(contents, 'will-navigate', 'app://vakt/index.html')).toBe(false);
    expect(emitPrevented(contents, 'will-redirect', 'file:///etc/passwd')).toBe(true);

    const openHandler = contents.setWindowOpenHandler.mock.calls[0]?.[0] as () => unknown;
    expect(openHandler()).toEqual({ action: 'deny' });

    const permission = session.setPermissionRequestHandler.mock.calls[0]?.[0] as (
      c: unknown,
      p: string,
      cb: (granted: boolean) => void,
    ) => void;
    const callback = vi.fn();
    permission({}, 'media', callback);
    expect(callback).toHaveBeenCalledWith(false);
  });

  it('swallows blocked shortcuts before the page sees them', () => {
    const { window, contents, session } = fakeWindow();
    lockDownWindow(window as unknown as BrowserWindow, session as unknown as Session, false);
    const key = (k: string, control = false) => ({
      type: 'keyDown',
      key: k,
      control,
      meta: false,
      alt: false,
      shift: false,
    });
    expect(emitPrevented(contents, 'before-input-event', key('r', true))).toBe(true);
    expect(emitPrevented(contents, 'before-input-event', key('r'))).toBe(false);
  });
});
