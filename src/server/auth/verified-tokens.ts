import { hashToken } from '../secrets';

/**
 * Candidate tokens and staff session cookies the server has verified, so the rate limiter —
 * which runs before any route looks at them — can key a request on its verified token or
 * session and everything else on its address (an exam hall's sign-ins share one; a staff member
 * on the hall's network must not be refused because of them). A made-up Authorization header
 * or cookie is not verified, so it buys no bucket of its own.
 */
export class VerifiedTokens {
  private readonly expiries = new Map<string, number>();

  constructor(private readonly limit = 100_000) {}

  remember(token: string, expiresAt: number): void {
    this.rememberHash(hashToken(token), expiresAt);
  }

  /** remember() for a caller that has hashed the token already (a hash is ~0.7 µs here). */
  rememberHash(tokenHash: string, expiresAt: number): void {
    if (this.expiries.size >= this.limit) {
      // Oldest first: Map keeps insertion order.
      const oldest = this.expiries.keys().next();
      if (!oldest.done) this.expiries.delete(oldest.value);
    }
    this.expiries.set(tokenHash, expiresAt);
  }

  /** Whether the token hashed to `tokenHash` was verified and has not expired. */
  knows(tokenHash: string, now: number): boolean {
    return (this.expiries.get(tokenHash) ?? 0) > now;
  }

  /**
   * The rate-limit key for a request: its verified token's hash (`tokenHash`, '' for none),
   * else its verified staff session's, else its address.
   */
  keyFor(tokenHash: string, ip: string, now: number, staffSession?: string): string {
    for (const [kind, secret] of [
      ['token', tokenHash],
      ['staff', staffSession ?? ''],
    ] as const) {
      if (!secret) continue;
      const hash = kind === 'token' ? secret : hashToken(secret);
      const expiresAt = this.expiries.get(hash);
      if (expiresAt !== undefined && expiresAt > now) return `${kind}:${hash}`;
      if (expiresAt !== undefined) this.expiries.delete(hash);
    }
    return `address:${ip}`;
  }
}

/** The token of an `Authorization: Bearer …` header, or '' when there is none. */
export function bearerToken(authorization: string | undefined): string {
  return authorization?.startsWith('Bearer ') ? authorization.slice(7).trim() : '';
}
