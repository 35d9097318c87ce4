import { describe, expect, it } from 'vitest';

import { isBlockedShortcut, type KeyInput } from './shortcut-filter';

const press = (key: string, mods: Partial<KeyInput> = {}): KeyInput => ({
  type: 'keyDown',
  key,
  control: false,
  meta: false,
  alt: false,
  shift: false,
  ...mods,
});

describe('shortcut filter', () => {
  it.each([
    ['reload', press('r', { control: true })],
    ['reload (F5)', press('F5')],
    ['devtools', press('I', { control: true, shift: true })],
    ['devtools (F12)', press('F12')],
    ['close', press('w', { meta: true })],
    ['quit', press('q', { meta: true })],
    ['Alt+F4', press('F4', { alt: true })],
    ['print', press('p', { control: true })],
    ['zoom in', press('+', { control: true })],
    ['zoom reset', press('0', { control: true })],
    ['new window', press('n', { control: true })],
    ['hide (macOS)', press('h', { meta: true })],
  ])('blocks %s', (_name, input) => {
    expect(isBlockedShortcut(input)).toBe(true);
  });

  it.each([
    ['typing', press('r')],
    ['capitals', press('R', { shift: true })],
    ['copy', press('c', { control: true })],
    ['paste', press('v', { control: true })],
    ['undo', press('z', { control: true })],
    ['select all', press('a', { meta: true })],
    ['key up of a blocked key', { ...press('F5'), type: 'keyUp' }],
  ])('lets %s through', (_name, input) => {
    expect(isBlockedShortcut(input)).toBe(false);
  });
});
