import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { ed25519, x25519 } from '@noble/curves/ed25519.js';
import { bytesToHex } from '@noble/hashes/utils.js';

export interface KeyPair {
  secretKey: string;
  publicKey: string;
}

export interface ServerKeys {
  /** Signs exam packages; clients pin its public key. */
  signing: KeyPair;
  /** Offline hand-in files are sealed to its public key. */
  handIn: KeyPair;
}

function loadOrCreate(path: string, create: () => KeyPair): KeyPair {
  if (existsSync(path)) {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<KeyPair>;
    if (typeof parsed.secretKey !== 'string' || typeof parsed.publicKey !== 'string') {
      throw new Error(`Key file ${path} is damaged: restore it from backup (clients pin this key)`);
    }
    return { secretKey: parsed.secretKey, publicKey: parsed.publicKey };
  }
  const pair = create();
  try {
    // Owner-only, written once: every installed client pins the signing key.
    writeFileSync(path, `${JSON.stringify(pair)}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    // Another server process on the same folder wrote it first: use that one.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return loadOrCreate(path, create);
    throw error;
  }
  return pair;
}

/** The server's key pairs from `dataDir`, generated on first start. */
export function loadServerKeys(dataDir: string): ServerKeys {
  const signingPath = join(dataDir, 'signing-ed25519.json');
  const handInPath = join(dataDir, 'hand-in-x25519.json');
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // Secret keys: owner-only, whatever modes an older install or a restore left.
  chmodSync(dataDir, 0o700);
  for (const path of [signingPath, handInPath]) if (existsSync(path)) chmodSync(path, 0o600);
  return {
    signing: loadOrCreate(signingPath, () => {
      const { secretKey, publicKey } = ed25519.keygen();
      return { secretKey: bytesToHex(secretKey), publicKey: bytesToHex(publicKey) };
    }),
    handIn: loadOrCreate(handInPath, () => {
      const { secretKey, publicKey } = x25519.keygen();
      return { secretKey: bytesToHex(secretKey), publicKey: bytesToHex(publicKey) };
    }),
  };
}
