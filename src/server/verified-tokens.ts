import { hashToken } from './secrets';

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
    if (this.expiries.size >= this.limit) {
      // Oldest first: Map keeps insertion order.
      const oldest = this.expiries.keys().next();
      if (!oldest.done) this.expiries.delete(oldest.value);
    }
    this.expiries.set(hashToken(token), expiresAt);
  }

  /** Whether `token` was verified and has not expired. */
  knows(token: string, now: number): boolean {
    return (this.expiries.get(hashToken(token)) ?? 0) > now;
  }

  /**
   * The rate-limit key for a request: its verified token's hash, else its verified staff
   * session's, else its address.
   */
  keyFor(
    authorization: string | undefined,
    ip: string,
    now: number,
    staffSession?: string,
  ): string {
    const token = bearerToken(authorization);
    for (const [kind, secret] of [
      ['token', token],
      ['staff', staffSession ?? ''],
    ] as const) {
      if (!secret) continue;
      const hash = hashToken(secret);
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
