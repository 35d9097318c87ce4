import { describe, expect, it } from 'vitest';

import { CrashFs } from '../../../test/support/crash-fs';

import { SafeStorageKeys } from './safe-storage-keys';

/** A stand-in for Electron's safeStorage: reversible, and visibly not the plain text. */
const fakeSafeStorage = (available = true) => ({
  isEncryptionAvailable: () => available,
  encryptString: (text: string) => Buffer.from(`os:${[...text].reverse().join('')}`),
  decryptString: (data: Buffer) => [...data.toString().slice(3)].reverse().join(''),
});

describe('safeStorage journal keys', () => {
  it('creates one key per journal, stores it only OS-encrypted, and returns the same key later', async () => {
    const fs = new CrashFs();
    const keys = new SafeStorageKeys(fakeSafeStorage(), fs, (id) => `/data/${id}`);
    const first = await keys.journalKey('j1');
    expect(first).toHaveLength(32);
    const stored = Buffer.from((await fs.readFile('/data/j1/journal.key'))!).toString();
    expect(stored.startsWith('os:')).toBe(true);
    expect(stored).not.toContain(Buffer.from(first).toString('hex'));
    expect(await keys.journalKey('j1')).toEqual(first);
    expect(await keys.journalKey('j2')).not.toEqual(first);
  });

  it('refuses to run without protected storage, saying why', async () => {
    const keys = new SafeStorageKeys(fakeSafeStorage(false), new CrashFs(), (id) => `/data/${id}`);
    await expect(keys.journalKey('j1')).rejects.toThrow('no protected storage');
  });
});
