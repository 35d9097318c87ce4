import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

import type { SafeStorage } from 'electron';

import type { FsPort } from '../fs-port';
import type { KeyProvider } from '../key-provider';

/**
 * Journal keys protected by the OS (Keychain, DPAPI, libsecret) through Electron's safeStorage:
 * a random 256-bit key per journal, stored beside it only in its OS-encrypted form.
 */
export class SafeStorageKeys implements KeyProvider {
  constructor(
    private readonly safeStorage: Pick<
      SafeStorage,
      'isEncryptionAvailable' | 'encryptString' | 'decryptString'
    >,
    private readonly fs: FsPort,
    private readonly dirFor: (journalId: string) => string,
  ) {}

  async journalKey(journalId: string): Promise<Uint8Array> {
    if (!this.safeStorage.isEncryptionAvailable()) {
      throw new Error(
        'This computer offers no protected storage for the exam key, so Vakt cannot keep answers safely.',
      );
    }
    const dir = this.dirFor(journalId);
    const path = join(dir, 'journal.key');
    const stored = await this.fs.readFile(path);
    if (stored) return Buffer.from(this.safeStorage.decryptString(Buffer.from(stored)), 'hex');
    const key = randomBytes(32);
    await this.fs.mkdir(dir);
    await this.fs.writeFileAtomic(path, this.safeStorage.encryptString(key.toString('hex')));
    return key;
  }
}
