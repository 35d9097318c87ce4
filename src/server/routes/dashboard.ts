import { existsSync } from 'node:fs';
import { join } from 'node:path';

import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';

import type { ServerContext } from '../context';

export const DASHBOARD_PATH = '/dashboard/';

/**
 * Stricter than the server's default: the dashboard runs only its own scripts and styles,
 * talks only to this server, and cannot be framed (clickjacking an invigilator's lock
 * button) or have its base or forms redirected.
 */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** The headers every dashboard response carries. */
function dashboardHeaders(https: boolean): Record<string, string> {
  return {
    'content-security-policy': https
      ? `${DASHBOARD_CSP}; upgrade-insecure-requests`
      : DASHBOARD_CSP,
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
  };
}

/**
 * The invigilator dashboard: the built files of src/dashboard (`npm run build` writes them
 * to dist/dashboard), at /dashboard/; `/` sends staff there. Built files have hashed names
 * and may be cached; index.html is fetched fresh, so a new server version is picked up.
 */
export function dashboardRoutes(context: ServerContext): FastifyPluginAsync {
  return async (app) => {
    const https = context.publicUrl.startsWith('https:');
    app.get('/', { schema: { hide: true } }, (_request, reply) =>
      reply.redirect(DASHBOARD_PATH, 302),
    );
    const dir = context.dashboardDir;
    if (!dir || !existsSync(join(dir, 'index.html'))) {
      app.get(`${DASHBOARD_PATH}*`, { schema: { hide: true } }, (_request, reply) => {
        return reply
          .headers(dashboardHeaders(https))
          .code(503)
          .type('text/plain; charset=utf-8')
          .send('The dashboard is not built on this server. Run "npm run build" and restart it.\n');
      });
      return;
    }
    await app.register(fastifyStatic, {
      root: dir,
      prefix: DASHBOARD_PATH,
      index: 'index.html',
      redirect: true,
      dotfiles: 'deny',
      schemaHide: true,
      setHeaders: (reply, path) => {
        void reply
          .headers(dashboardHeaders(https))
          .header(
            'cache-control',
            path.endsWith('index.html') ? 'no-cache' : 'public, max-age=31536000, immutable',
          );
      },
    });
  };
}
