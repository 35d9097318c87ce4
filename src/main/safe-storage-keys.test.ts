import { describe, expect, it } from 'vitest';

import { CrashFs } from '../../test/support/crash-fs';

import { SafeStorageKeys, type KeyStore } from './safe-storage-keys';

/** A stand-in for Electron's safeStorage: reversible, and visibly not the plain text. */
function fakeSafeStorage(options: { available?: boolean; backend?: string; rotated?: boolean }) {
  let generation = 1;
  const store: KeyStore = {
    isAsyncEncryptionAvailable: () => Promise.resolve(options.available ?? true),
    encryptStringAsync: (text: string) =>
      Promise.resolve(Buffer.from(`os${generation}:${[...text].reverse().join('')}`)),
    decryptStringAsync: (data: Buffer) =>
      Promise.resolve({
        result: [...data.toString().slice(4)].reverse().join(''),
        shouldReEncrypt: !data.toString().startsWith(`os${generation}:`),
      }),
    getSelectedStorageBackend: () => options.backend ?? 'gnome_libsecret',
  };
  return { store, rotate: () => (generation += 1) };
}

describe('safeStorage journal keys', () => {
  it('creates one key per journal, stores it only OS-encrypted, and returns the same key later', async () => {
    const fs = new CrashFs();
    const keys = new SafeStorageKeys(fakeSafeStorage({}).store, fs, (id) => `/data/${id}`);
    const first = await keys.journalKey('j1');
    expect(first).toHaveLength(32);
    const stored = Buffer.from((await fs.readFile('/data/j1/journal.key'))!).toString();
    expect(stored.startsWith('os1:')).toBe(true);
    expect(stored).not.toContain(Buffer.from(first).toString('hex'));
    expect(await keys.journalKey('j1')).toEqual(first);
    expect(await keys.journalKey('j2')).not.toEqual(first);
  });

  it('writes the stored key again when the OS has rotated its own', async () => {
    const fs = new CrashFs();
    const { store, rotate } = fakeSafeStorage({});
    const keys = new SafeStorageKeys(store, fs, (id) => `/data/${id}`);
    const first = await keys.journalKey('j1');
    rotate();
    expect(await keys.journalKey('j1')).toEqual(first);
    const stored = Buffer.from((await fs.readFile('/data/j1/journal.key'))!).toString();
    expect(stored.startsWith('os2:')).toBe(true);
  });

  it('refuses to run without protected storage, saying why', async () => {
    const { store } = fakeSafeStorage({ available: false });
    const keys = new SafeStorageKeys(store, new CrashFs(), (id) => `/data/${id}`);
    await expect(keys.journalKey('j1')).rejects.toThrow('no protected storage');
  });

  it('names the Linux backend that protects nothing, and only that one', () => {
    const at = (backend: string, platform: NodeJS.Platform) =>
      new SafeStorageKeys(
        fakeSafeStorage({ backend }).store,
        new CrashFs(),
        (id) => id,
        platform,
      ).unprotectedBackend();
    expect(at('basic_text', 'linux')).toBe('basic_text');
    expect(at('gnome_libsecret', 'linux')).toBeNull();
    expect(at('kwallet6', 'linux')).toBeNull();
    expect(at('basic_text', 'darwin')).toBeNull();
  });
});
