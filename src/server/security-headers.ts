import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';

/**
 * Helmet's security headers on every response, from one helmet middleware built at start.
 * @fastify/helmet builds helmet's middleware anew for every request (parsing its CSP
 * directives each time) in two hooks, one of them async: 4 % of the exam server's CPU under
 * load. The headers are the same: helmet's defaults. Routes that need stricter ones (the
 * dashboard's CSP) set them in their handler, which runs after this.
 */
export function securityHeaders(app: FastifyInstance): void {
  const apply = helmet();
  app.addHook('onRequest', (request, reply, done) => {
    apply(request.raw, reply.raw, (error?: unknown) => done(error as Error | undefined));
  });
}
