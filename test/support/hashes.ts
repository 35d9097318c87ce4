import { hashSecret, type SecretPurpose } from '../../src/server/secrets';

const cache = new Map<string, Promise<string>>();

/**
 * A secret's scrypt hash, made once per test process: the same few test passwords and personal
 * codes are stored for hundreds of tests, and each hash costs 0.1–0.35 s of CPU by design.
 * Checking them (a sign-in) still runs scrypt every time.
 */
export function testHash(secret: string, purpose: SecretPurpose = 'candidate'): Promise<string> {
  const key = `${purpose}:${secret}`;
  let hash = cache.get(key);
  if (!hash) {
    hash = hashSecret(secret, purpose);
    cache.set(key, hash);
  }
  return hash;
}
