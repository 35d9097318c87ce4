import { hashToken } from './secrets';

/**
 * Candidate tokens the server has verified, so the rate limiter — which runs before any route
 * looks at the token — can key a request on its verified token and everything else on its
 * address. A made-up Authorization header is not verified, so it buys no bucket of its own.
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

  /** The rate-limit key for a request: its verified token's hash, or its address. */
  keyFor(authorization: string | undefined, ip: string, now: number): string {
    const token = authorization?.startsWith('Bearer ') ? authorization.slice(7).trim() : '';
    if (token) {
      const hash = hashToken(token);
      const expiresAt = this.expiries.get(hash);
      if (expiresAt !== undefined && expiresAt > now) return `token:${hash}`;
      if (expiresAt !== undefined) this.expiries.delete(hash);
    }
    return `address:${ip}`;
  }
}
