import { timingSafeEqual } from 'node:crypto';

import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

import type { Database } from './db/schema';

/** A laptop counts as live when it was heard from this recently (heartbeats come every 10 s). */
const LIVE_WINDOW_MS = 60_000;

/**
 * The server's Prometheus metrics (prom-client, the Node client Prometheus lists), one
 * registry per server. Nothing personal: routes are templates (`/exams/:id`), never ids,
 * codes or addresses; candidates are counted, never named.
 */
export class ServerMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'vakt_http_requests_total',
    help: 'HTTP requests answered, by method, route template and status code.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  readonly latency = new Histogram({
    name: 'vakt_http_request_duration_seconds',
    help: 'Time to answer a request, by method and route template.',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly commitBatch = new Histogram({
    name: 'vakt_group_commit_writes',
    help: 'SQLite: write statements made durable by one WAL flush.',
    buckets: [1, 2, 5, 10, 25, 50, 100, 250, 1000],
    registers: [this.registry],
  });
  readonly commitSeconds = new Histogram({
    name: 'vakt_group_commit_flush_seconds',
    help: 'SQLite: time of one WAL flush (fdatasync).',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25],
    registers: [this.registry],
  });
  readonly liveStreams = new Gauge({
    name: 'vakt_live_streams',
    help: 'Dashboards connected to the live stream (server-sent events).',
    registers: [this.registry],
  });
  readonly retentionRuns = new Counter({
    name: 'vakt_retention_runs_total',
    help: 'Retention runs, by outcome.',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  constructor(
    db: Kysely<Database>,
    now: () => number,
    pool?: () => { total: number; idle: number; waiting: number },
  ) {
    collectDefaultMetrics({ register: this.registry, prefix: 'vakt_' });
    const registers = [this.registry];
    new Gauge({
      name: 'vakt_candidates',
      help: 'Candidates whose laptop was heard from in the last minute, by what it reported.',
      labelNames: ['status'] as const,
      registers,
      async collect() {
        const rows = await db
          .selectFrom('journals')
          .select(['status', (eb) => eb.fn.countAll<number>().as('count')])
          .where('state', '=', 'active')
          .where('last_seen_at', '>=', now() - LIVE_WINDOW_MS)
          .groupBy('status')
          .execute();
        this.reset();
        for (const row of rows) this.set({ status: row.status ?? 'unknown' }, Number(row.count));
      },
    });
    new Gauge({
      name: 'vakt_handover_backlog',
      help: 'Accepted submissions not yet delivered downstream (those the server gave up on included; those an admin abandoned not).',
      registers,
      async collect() {
        const row = await db
          .selectFrom('handovers')
          .select((eb) => eb.fn.countAll<number>().as('count'))
          .where('delivered_at', 'is', null)
          .where('abandoned_at', 'is', null)
          .executeTakeFirstOrThrow();
        this.set(Number(row.count));
      },
    });
    if (pool) {
      new Gauge({
        name: 'vakt_db_pool_connections',
        help: 'PostgreSQL pool: connections by state (waiting: queries queued for one).',
        labelNames: ['state'] as const,
        registers,
        collect() {
          const stats = pool();
          this.set({ state: 'total' }, stats.total);
          this.set({ state: 'idle' }, stats.idle);
          this.set({ state: 'waiting' }, stats.waiting);
        },
      });
    }
  }

  /** One WAL flush: how many writes it made durable, and how long it took. */
  readonly flushed = (writes: number, ms: number): void => {
    this.commitBatch.observe(writes);
    this.commitSeconds.observe(ms / 1000);
  };
}

/**
 * Counts every answered request, and serves `/metrics` to a caller with the bearer token
 * (VAKT_METRICS_TOKEN); without a token configured there is no such route.
 */
export function metricsRoutes(app: FastifyInstance, metrics: ServerMetrics, token?: string): void {
  app.addHook('onResponse', (request, reply, done) => {
    // The template, never the path itself: bounded, and no ids in the series.
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.requests.inc({ method: request.method, route, status: reply.statusCode });
    metrics.latency.observe({ method: request.method, route }, reply.elapsedTime / 1000);
    done();
  });
  if (!token) return;
  const expected = Buffer.from(`Bearer ${token}`);
  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    const given = Buffer.from(request.headers.authorization ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      return reply
        .code(401)
        .send({ error: { code: 'unauthorized', message: 'The metrics need their token.' } });
    let text: string;
    try {
      text = await metrics.registry.metrics();
    } catch {
      // A collector failed (the database is down, file handles ran out): say so, not 500.
      return reply.code(503).send({
        error: { code: 'metrics-unavailable', message: 'The metrics could not be read now.' },
      });
    }
    return reply
      .header('content-type', metrics.registry.contentType)
      .header('cache-control', 'no-store')
      .send(text);
  });
}
