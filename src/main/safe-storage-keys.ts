import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

import type { FsPort } from './fs-port';
import type { KeyProvider } from './key-provider';

/**
 * The parts of Electron's safeStorage the keys use: the asynchronous API (Electron 45+). Written
 * out, so this plain-Node service never imports electron; the Electron layer passes
 * `safeStorage`, which the compiler checks against it there.
 */
export interface KeyStore {
  isAsyncEncryptionAvailable(): Promise<boolean>;
  encryptStringAsync(plainText: string): Promise<Buffer>;
  decryptStringAsync(encrypted: Buffer): Promise<{ shouldReEncrypt: boolean; result: string }>;
  /** Linux only (Electron's `getSelectedStorageBackend`); absent elsewhere. */
  getSelectedStorageBackend?: () => string;
}

/**
 * Journal keys protected by the OS (Keychain, DPAPI, libsecret/KWallet) through Electron's
 * safeStorage: a random 256-bit key per journal, stored beside it only in its OS-encrypted form.
 * When the OS rotates its key, the stored form is written again under the new one.
 */
export class SafeStorageKeys implements KeyProvider {
  constructor(
    private readonly store: KeyStore,
    private readonly fs: FsPort,
    private readonly dirFor: (journalId: string) => string,
    private readonly platform: NodeJS.Platform = process.platform,
  ) {}

  /**
   * The Linux backend's name when it protects nothing (`basic_text`: no keyring, so the key is
   * scrambled with a constant anyone can read); null where the OS protects the key.
   */
  unprotectedBackend(): string | null {
    if (this.platform !== 'linux') return null;
    const backend = this.store.getSelectedStorageBackend?.() ?? 'unknown';
    return backend === 'basic_text' ? backend : null;
  }

  async journalKey(journalId: string): Promise<Uint8Array> {
    if (!(await this.store.isAsyncEncryptionAvailable())) {
      throw new Error(
        'This computer offers no protected storage for the exam key, so Vakt cannot keep answers safely.',
      );
    }
    const dir = this.dirFor(journalId);
    const path = join(dir, 'journal.key');
    const stored = await this.fs.readFile(path);
    if (stored) {
      const { result, shouldReEncrypt } = await this.store.decryptStringAsync(Buffer.from(stored));
      if (shouldReEncrypt) {
        await this.fs.writeFileAtomic(path, await this.store.encryptStringAsync(result));
      }
      return Buffer.from(result, 'hex');
    }
    const key = randomBytes(32);
    await this.fs.mkdir(dir);
    await this.fs.writeFileAtomic(path, await this.store.encryptStringAsync(key.toString('hex')));
    return key;
  }
}
