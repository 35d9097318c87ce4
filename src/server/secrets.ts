import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scryptAsync = promisify(scrypt) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;

/**
 * scrypt parameters by what is hashed. Staff passwords guard every candidate's data: OWASP's
 * Password Storage Cheat Sheet lists N=2^15, r=8, p=3 (32 MiB) as equal in strength to its
 * first choice N=2^17, r=8, p=1, at a quarter of the memory — which matters when sign-ins come
 * in parallel. Personal codes are one-exam secrets behind a per-candidate throttle, hashed by
 * the thousand at import: N=2^14, r=8, p=1.
 */
const PARAMS = {
  staff: { N: 32_768, r: 8, p: 3 },
  candidate: { N: 16_384, r: 8, p: 1 },
} as const;
export type SecretPurpose = keyof typeof PARAMS;

const MAXMEM = 128 * 1024 * 1024;

/** `scrypt$N$r$p$salt$hash`, so the parameters can be raised later without a migration. */
export async function hashSecret(
  secret: string,
  purpose: SecretPurpose = 'candidate',
): Promise<string> {
  const { N, r, p } = PARAMS[purpose];
  const salt = randomBytes(16);
  const hash = await scryptAsync(secret, salt, 32, { N, r, p, maxmem: MAXMEM });
  return `scrypt$${N}$${r}$${p}$${salt.toString('hex')}$${hash.toString('hex')}`;
}

function dummy(purpose: SecretPurpose): string {
  const { N, r, p } = PARAMS[purpose];
  return `scrypt$${N}$${r}$${p}$${'00'.repeat(16)}$${'00'.repeat(32)}`;
}

/** Whether a stored hash is weaker than what `purpose` asks for now (rehash on sign-in). */
export function needsRehash(stored: string, purpose: SecretPurpose = 'staff'): boolean {
  const [scheme, n, r, p] = stored.split('$');
  const want = PARAMS[purpose];
  return scheme !== 'scrypt' || Number(n) * Number(r) * Number(p) < want.N * want.r * want.p;
}

/**
 * Constant-time check; pass null for an unknown account so the timing does not tell (the
 * dummy hash costs what a real one of the same purpose does).
 */
export async function verifySecret(
  secret: string,
  stored: string | null,
  purpose: SecretPurpose = 'candidate',
): Promise<boolean> {
  const [scheme, n, r, p, saltHex, hashHex] = (stored ?? dummy(purpose)).split('$');
  if (scheme !== 'scrypt' || !saltHex || !hashHex) return false;
  const expected = Buffer.from(hashHex, 'hex');
  const actual = await scryptAsync(secret, Buffer.from(saltHex, 'hex'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: MAXMEM,
  });
  return stored !== null && timingSafeEqual(actual, expected);
}

/** An opaque random token and the hash the server stores instead of it. */
export function newToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, tokenHash: hashToken(token) };
}

export function hashToken(token: string): string {
  return nativeSha256Hex(token);
}

/** src/common's SHA-256 (hex of the UTF-8 text), from Node's native crypto: 4× as fast. */
export function nativeSha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}
