import { EventEmitter } from 'node:events';

import type { Session, WebContents } from 'electron';
import { describe, expect, it, vi } from 'vitest';

import type { ShortcutPolicy } from '../lockdown/shortcuts';

import { guardSession, guardWebContents, kioskWindowOptions } from './kiosk-window';

/** Small fakes of the WebContents and Session surface the guards touch; never imports electron. */
function fakeContents() {
  return Object.assign(new EventEmitter(), {
    setWindowOpenHandler: vi.fn(),
    closeDevTools: vi.fn(),
  });
}

function fakeSession() {
  return Object.assign(new EventEmitter(), {
    setPermissionRequestHandler: vi.fn(),
    setPermissionCheckHandler: vi.fn(),
    setDevicePermissionHandler: vi.fn(),
    setDisplayMediaRequestHandler: vi.fn(),
  });
}

function emitPrevented(emitter: EventEmitter, name: string, ...args: unknown[]): boolean {
  const event = { preventDefault: vi.fn() };
  emitter.emit(name, event, ...args);
  return event.preventDefault.mock.calls.length > 0;
}

const key = (k: string, mods: { control?: boolean; shift?: boolean } = {}) => ({
  type: 'keyDown',
  key: k,
  control: false,
  meta: false,
  alt: false,
  shift: false,
  ...mods,
});

function guarded(production: boolean, policy: Partial<ShortcutPolicy> = {}) {
  const contents = fakeContents();
  const shortcuts = (): ShortcutPolicy => ({ platform: 'linux', copyPaste: true, ...policy });
  guardWebContents(contents as unknown as WebContents, shortcuts, { production });
  return { contents };
}

describe('kiosk window', () => {
  it('isolates and sandboxes the renderer, production without devtools', () => {
    const options = kioskWindowOptions({ preloadPath: '/p.cjs', production: true });
    // The lockdown engages kiosk and full screen with the exam, not at start-up.
    expect(options.kiosk).toBeUndefined();
    expect(options.webPreferences).toMatchObject({
      preload: '/p.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      devTools: false,
      webSecurity: true,
    });
    expect(
      kioskWindowOptions({ preloadPath: '/p.cjs', production: false }).webPreferences,
    ).toMatchObject({ devTools: true });
  });

  it('confines the page and every frame to app://vakt and denies new windows', () => {
    const { contents } = guarded(true);
    expect(emitPrevented(contents, 'will-navigate', 'https://chat.example.com/')).toBe(true);
    expect(emitPrevented(contents, 'will-navigate', 'app://vakt.evil/')).toBe(true);
    expect(emitPrevented(contents, 'will-navigate', 'app://vakt/index.html')).toBe(false);
    expect(emitPrevented(contents, 'will-redirect', 'file:///etc/passwd')).toBe(true);
    // A frame inside the page: will-frame-navigate passes the details as the event.
    const frame = { url: 'https://answers.example.com/', preventDefault: vi.fn() };
    contents.emit('will-frame-navigate', frame);
    expect(frame.preventDefault).toHaveBeenCalled();
    expect(emitPrevented(contents, 'will-attach-webview')).toBe(true);
    const openHandler = contents.setWindowOpenHandler.mock.calls[0]?.[0] as () => unknown;
    expect(openHandler()).toEqual({ action: 'deny' });
    const pick = vi.fn();
    expect(emitPrevented(contents, 'select-bluetooth-device', [{ deviceId: 'x' }], pick)).toBe(
      true,
    );
    expect(pick).toHaveBeenCalledWith('');
  });

  it('closes developer tools again in production only', () => {
    const production = guarded(true).contents;
    production.emit('devtools-opened');
    expect(production.closeDevTools).toHaveBeenCalled();
    const development = guarded(false).contents;
    development.emit('devtools-opened');
    expect(development.closeDevTools).not.toHaveBeenCalled();
  });

  it('swallows blocked shortcuts before the page sees them', () => {
    const { contents } = guarded(false);
    expect(emitPrevented(contents, 'before-input-event', key('r', { control: true }))).toBe(true);
    expect(emitPrevented(contents, 'before-input-event', key('r'))).toBe(false);
  });

  it('refuses the copy keys where the policy does, and leaves paste to the page', () => {
    const { contents } = guarded(true);
    expect(emitPrevented(contents, 'before-input-event', key('c', { control: true }))).toBe(false);
    const refused = guarded(true, { copyPaste: false });
    expect(emitPrevented(refused.contents, 'before-input-event', key('c', { control: true }))).toBe(
      true,
    );
    // The page's paste guard asks the session, which refuses and journals (paste-guard.ts).
    expect(emitPrevented(refused.contents, 'before-input-event', key('v', { control: true }))).toBe(
      false,
    );
  });

  it('denies every permission, device and screen capture the page could ask for', () => {
    const session = fakeSession();
    guardSession(session as unknown as Session);
    const request = session.setPermissionRequestHandler.mock.calls[0]?.[0] as (
      c: unknown,
      p: string,
      cb: (granted: boolean) => void,
    ) => void;
    for (const permission of ['media', 'fullscreen', 'notifications', 'clipboard-read']) {
      const callback = vi.fn();
      request({}, permission, callback);
      expect(callback).toHaveBeenCalledWith(false);
    }
    const check = session.setPermissionCheckHandler.mock.calls[0]?.[0] as () => boolean;
    expect(check()).toBe(false);
    const device = session.setDevicePermissionHandler.mock.calls[0]?.[0] as () => boolean;
    expect(device()).toBe(false);
    const capture = session.setDisplayMediaRequestHandler.mock.calls[0]?.[0] as (
      r: unknown,
      cb: (streams: unknown) => void,
    ) => void;
    const streams = vi.fn();
    capture({}, streams);
    expect(streams).toHaveBeenCalledWith(null);
    for (const [name, args] of [
      ['select-hid-device', [{}]],
      ['select-usb-device', [{}]],
      ['select-serial-port', [[], {}]],
    ] as const) {
      const callback = vi.fn();
      expect(emitPrevented(session, name, ...args, callback), name).toBe(true);
      expect(callback, name).toHaveBeenCalledOnce();
    }
  });
});
