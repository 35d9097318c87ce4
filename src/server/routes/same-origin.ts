import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';

import { HttpError } from '../errors';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Cross-site request forgery, checked on every staff call that changes anything, not left to
 * the SameSite cookie alone (an older browser, a same-site sibling on the school's domain).
 * Browsers send Origin with such requests, or at least Sec-Fetch-Site; a request with neither
 * is not from a browser, so it cannot carry a victim's cookie by accident.
 */
export function sameOriginOnly(publicUrl: string) {
  const expected = new URL(publicUrl).origin;
  return (request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void => {
    if (SAFE_METHODS.has(request.method)) return done();
    const origin = request.headers.origin;
    const site = request.headers['sec-fetch-site'];
    const allowed =
      origin !== undefined
        ? origin === expected
        : site === undefined || site === 'same-origin' || site === 'none';
    if (allowed) return done();
    done(
      new HttpError(
        403,
        'cross-origin',
        `Staff changes are accepted only from the exam server's own pages (${expected}).`,
      ),
    );
  };
}
