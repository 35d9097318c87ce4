import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import { sql } from 'kysely';

import { CLIENT_ROUTES, MAX_BATCH_BYTES } from '../common/api';
import {
  findMalformedText,
  isStorableText,
  isWellFormedText,
  MALFORMED_TEXT_MESSAGE,
  UNSTORABLE_TEXT_MESSAGE,
} from '../common/well-formed';

import { clientAddress } from './auth/client-address';
import { bearerToken } from './auth/verified-tokens';
import type { ServerContext } from './context';
import { migrationsDone } from './db/database';
import { errorHandler, HttpError, unexpectedErrors } from './errors';
import {
  applyHeadersTimeout,
  applyLimits,
  DEFAULT_TIMEOUTS,
  type ServerLimits,
  type ServerTimeouts,
} from './limits';
import { metricsRoutes } from './metrics';
import { findSession } from './repositories/sessions';
import { clientRoutes } from './routes/client';
import { dashboardRoutes } from './routes/dashboard';
import { staffRoutes } from './routes/staff';
import { STAFF_COOKIE } from './routes/staff-guard';
import { updateRoutes } from './routes/updates';
import { hashToken } from './secrets';
import { securityHeaders } from './security-headers';

export interface AppOptions {
  context: ServerContext;
  /** Request and error logs (requests at "info"); `stream` where they go (default stdout). */
  logger?: boolean | { level: string; stream?: { write(line: string): void } };
  /** Told of every 5xx answered (a bug); tests fail on any. */
  onServerError?: (description: string) => void;
  /**
   * Proxies whose X-Forwarded-For is believed (VAKT_TRUST_PROXY): their addresses or CIDR
   * ranges, or how many hops to trust. Default none: the address is the peer's.
   */
  trustProxy?: string[] | number | false;
  /** Requests per minute per verified token, else per address (default 600). */
  rateLimitMax?: number;
  /** How long a request and a connection may take (default DEFAULT_TIMEOUTS). */
  timeouts?: ServerTimeouts;
  /** The per-address connection cap and the 503 under pressure (server.ts sets them). */
  limits?: ServerLimits;
  /** VAKT_METRICS_TOKEN: /metrics answers the caller with it (no token: no /metrics). */
  metricsToken?: string;
}

/**
 * What a logged request says: method and path. Not the client's address, nor the query string:
 * request logs live by the log's own rotation, not by an exam's retention (docs/privacy.md).
 */
const requestLogSerializers = {
  req: (request: { method: string; url: string }) => ({
    method: request.method,
    url: request.url.split('?')[0],
  }),
};

/** A hop count as proxy-addr's trust function: believe the nearest `hops` proxies. */
function trustProxySetting(trust: string[] | number | false) {
  return typeof trust === 'number' ? (_address: string, hop: number) => hop < trust : trust;
}

/**
 * Builds the exam server without listening, so tests can call `inject` or listen on a loopback
 * port: external plugins (security headers, rate limits), then routes.
 */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const timeouts = options.timeouts ?? DEFAULT_TIMEOUTS;
  const app = Fastify({
    logger:
      typeof options.logger === 'object'
        ? { ...options.logger, serializers: requestLogSerializers }
        : (options.logger ?? false),
    bodyLimit: MAX_BATCH_BYTES,
    // Silent and slow callers are closed: their connections are not held forever.
    connectionTimeout: timeouts.connectionTimeoutMs,
    requestTimeout: timeouts.requestTimeoutMs,
    keepAliveTimeout: timeouts.keepAliveTimeoutMs,
    // Never "trust every hop": X-Forwarded-For would be the caller's to choose, and it is
    // what rate limits key on and what the audit log records.
    trustProxy: trustProxySetting(options.trustProxy ?? false),
  });
  applyHeadersTimeout(app, timeouts);
  if (options.limits) applyLimits(app, options.limits);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .send({ error: { code: 'not-found', message: `No route ${request.method} ${request.url}` } }),
  );

  // Lone surrogates cannot be stored, hashed or shown, and PostgreSQL cannot hold NUL in a
  // text column or parameter: refused at the door, whatever the route. Journal records are
  // stored as canonical JSON (NUL escaped), so a candidate's pasted NUL does not stop uploads.
  app.addHook('preValidation', (request, _reply, done) => {
    const records = request.url.startsWith(CLIENT_ROUTES.records);
    for (const [part, value] of [
      ['body', request.body],
      ['querystring', request.query],
      ['params', request.params],
    ] as const) {
      const lenient = records && part === 'body';
      const where = findMalformedText(value, lenient ? isWellFormedText : isStorableText);
      if (where !== null) {
        const why = lenient ? MALFORMED_TEXT_MESSAGE : UNSTORABLE_TEXT_MESSAGE;
        done(new HttpError(400, 'invalid-text', `${part}${where} ${why}.`));
        return;
      }
    }
    done();
  });
  // A 5xx is a bug: always logged, whatever the log level asked for.
  // Not the 503s the server chose (busy: overloaded, come back later), which are no bug and
  // would flood the log exactly when it is overloaded; never the query string.
  app.addHook('onResponse', (request, reply, done) => {
    const shed = reply.statusCode === 503 && reply.getHeader('retry-after') !== undefined;
    if (reply.statusCode >= 500 && !shed)
      request.log.error(
        { statusCode: reply.statusCode, url: request.url.split('?')[0] },
        'server error',
      );
    done();
  });

  // Nothing is acknowledged before it is on disk: SQLite's group commit flushes here, once for
  // all the requests answered meanwhile.
  const storage = options.context.storage;
  app.addHook('onSend', async (_request, _reply, payload) => {
    await storage.durable();
    return payload;
  });

  const onServerError = options.onServerError;
  if (onServerError) {
    app.addHook('onSend', async (request, reply, payload) => {
      if (reply.statusCode >= 500) {
        // What the caller saw, and what went wrong (its stack) when it was unexpected.
        const cause = unexpectedErrors.get(request);
        const why = cause instanceof Error ? `\n${cause.stack ?? cause.message}` : '';
        onServerError(
          `${reply.statusCode} ${request.method} ${request.url}: ${String(payload)}${why}`,
        );
      }
      return payload;
    });
  }

  app.addHook('onReady', (done) => {
    options.context.silence.start();
    done();
  });
  // Ends live streams first, so closing does not wait on dashboards that never hang up.
  app.addHook('preClose', async () => {
    await options.context.silence.stop();
    await options.context.feed.close();
  });

  securityHeaders(app);
  await app.register(cookie);
  // A whole exam hall can share one address: limit per verified token where there is one.
  const tokens = options.context.verifiedTokens;
  await app.register(rateLimit, {
    max: options.rateLimitMax ?? 600,
    timeWindow: 60_000,
    keyGenerator: async (request) => {
      const now = options.context.now();
      // A token not seen since the server started (a restart, the candidate's first request)
      // is looked up, so a hall behind one address is not keyed on that address meanwhile.
      const token = bearerToken(request.headers.authorization);
      const tokenHash = token ? hashToken(token) : '';
      if (token && !tokens.knows(tokenHash, now)) {
        const session = await findSession(options.context.storage.db, token, now);
        if (session) tokens.rememberHash(tokenHash, session.expires_at);
      }
      return tokens.keyFor(tokenHash, clientAddress(request), now, request.cookies[STAFF_COOKIE]);
    },
  });
  await app.register(swagger, {
    openapi: {
      info: { title: 'Vakt exam server', version: '1' },
    },
    transform: jsonSchemaTransform,
  });

  // Status only: exam codes are one of the three sign-in factors, so they are never listed.
  // Health: the process answers (a supervisor restarts it when not). Ready: it can serve, its
  // database answers and has every migration this version needs (a load balancer sends
  // candidates only to ready nodes).
  app.get('/api/health', { schema: { hide: true } }, () => ({ status: 'ok' }));
  app.get('/api/ready', { schema: { hide: true } }, async (_request, reply) => {
    const { db, schema } = options.context.storage;
    try {
      await sql`select 1`.execute(db);
    } catch {
      return reply.code(503).send({ status: 'database-unreachable' });
    }
    if (!(await migrationsDone(db, schema ?? undefined)))
      return reply.code(503).send({ status: 'migrations-pending' });
    return { status: 'ready' };
  });
  if (options.context.metrics) metricsRoutes(app, options.context.metrics, options.metricsToken);
  await app.register(clientRoutes(options.context));
  await app.register(updateRoutes(options.context));
  await app.register(staffRoutes(options.context));
  await app.register(dashboardRoutes(options.context));
  app.get('/api/openapi.json', { schema: { hide: true } }, () => app.swagger());

  await app.ready();
  return app;
}
