import { describe, expect, it } from 'vitest';

import {
  clipboardAction,
  isBlockedShortcut,
  type KeyInput,
  type ShortcutPolicy,
} from './shortcuts';

const press = (key: string, mods: Partial<KeyInput> = {}): KeyInput => ({
  type: 'keyDown',
  key,
  control: false,
  meta: false,
  alt: false,
  shift: false,
  ...mods,
});

const windows: ShortcutPolicy = { platform: 'win32', copyPaste: true };
const mac: ShortcutPolicy = { platform: 'darwin', copyPaste: true };
const linux: ShortcutPolicy = { platform: 'linux', copyPaste: true };

describe('shortcut filter', () => {
  it.each([
    ['reload', press('r', { control: true }), linux],
    ['reload (F5)', press('F5'), linux],
    ['devtools', press('I', { control: true, shift: true }), windows],
    ['devtools (F12)', press('F12'), windows],
    ['devtools as macOS sends Cmd+Opt+I', press('ˆ', { meta: true, alt: true, code: 'KeyI' }), mac],
    ['close', press('w', { meta: true }), mac],
    ['quit', press('q', { meta: true }), mac],
    ['Alt+F4', press('F4', { alt: true }), windows],
    ['the Windows system menu (Alt+Space)', press(' ', { alt: true, code: 'Space' }), windows],
    ['tab switching (Ctrl+Tab)', press('Tab', { control: true }), linux],
    ['tab switching back', press('Tab', { control: true, shift: true }), windows],
    ['the macOS full-screen toggle', press('f', { control: true, meta: true }), mac],
    ['print', press('p', { control: true }), windows],
    ['zoom in', press('+', { control: true }), linux],
    ['zoom reset', press('0', { control: true, code: 'Digit0' }), linux],
    ['new window', press('n', { control: true }), windows],
    ['hide (macOS)', press('h', { meta: true }), mac],
    ['minimise (macOS)', press('m', { meta: true }), mac],
    ['back (Alt+Left)', press('ArrowLeft', { alt: true }), windows],
    ['caret browsing (F7)', press('F7'), linux],
    ['a key as Chromium sends it raw', { ...press('F5'), type: 'rawKeyDown' }, windows],
  ])('blocks %s', (_name, input, policy) => {
    expect(isBlockedShortcut(input, policy)).toBe(true);
  });

  it.each([
    ['typing', press('r')],
    ['capitals', press('R', { shift: true })],
    ['copy', press('c', { control: true })],
    ['paste', press('v', { control: true })],
    ['undo', press('z', { control: true })],
    ['select all', press('a', { meta: true })],
    ['Tab between fields', press('Tab')],
    ['Escape, which closes dialogs', press('Escape')],
    ['AltGr+Q typing @ (German)', press('@', { control: true, alt: true, code: 'KeyQ' })],
    ['AltGr+0 typing } (Norwegian)', press('}', { control: true, alt: true, code: 'Digit0' })],
    ['key up of a blocked key', { ...press('F5'), type: 'keyUp' }],
  ])('lets %s through', (_name, input) => {
    expect(isBlockedShortcut(input, windows)).toBe(false);
  });

  it('refuses copy and cut in every spelling where the policy says so; paste goes to the page', () => {
    const noClipboard = { platform: 'win32' as const, copyPaste: false };
    for (const [input, action] of [
      [press('c', { control: true }), 'copy'],
      [press('x', { control: true }), 'copy'],
      [press('v', { meta: true }), 'paste'],
      [press('Insert', { shift: true }), 'paste'],
      [press('Insert', { control: true }), 'copy'],
      [press('Delete', { shift: true }), 'copy'],
    ] as const) {
      expect(clipboardAction(input), JSON.stringify(input)).toBe(action);
      // The page's paste guard refuses a paste and journals it (renderer/paste-guard.ts).
      expect(isBlockedShortcut(input, noClipboard)).toBe(action === 'copy');
      expect(isBlockedShortcut(input, windows)).toBe(false);
    }
    expect(isBlockedShortcut(press('Delete'), noClipboard)).toBe(false);
  });
});
