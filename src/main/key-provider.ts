/**
 * Where the journal's 256-bit encryption key comes from: Electron's safeStorage in production
 * (src/main/safe-storage-keys.ts), a fixed key in tests.
 */
export interface KeyProvider {
  journalKey(journalId: string): Promise<Uint8Array>;
}

export class StaticKeyProvider implements KeyProvider {
  constructor(private readonly key: Uint8Array) {
    if (key.length !== 32) throw new Error('A journal key is 32 bytes');
  }

  journalKey(): Promise<Uint8Array> {
    return Promise.resolve(this.key);
  }
}
