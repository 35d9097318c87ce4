import { rm } from 'node:fs/promises';

import { afterEach, describe, expect, it } from 'vitest';

import { CLIENT_ROUTES } from '../../src/common/api';
import { migrate, openStorage } from '../../src/server/db/database';
import { ServerMetrics } from '../../src/server/metrics';
import { freshStorage, type TestStorage } from '../support/databases';
import { ExamClient } from '../support/exam-client';
import { testServer, type TestServer } from '../support/server';

const TOKEN = 'metrics-token-0123456789abcdef';

/**
 * /metrics for Prometheus: only with the token, request counts by route template, the
 * candidates by what their laptops report, the hand-over backlog and SQLite's group commit —
 * and nothing that names a person, an exam or a journal.
 */
describe('the metrics endpoint', () => {
  let db: TestStorage;
  let server: TestServer;

  afterEach(async () => {
    await server.app.close();
    await db.cleanup();
  });

  async function start(token?: string) {
    db = await freshStorage('sqlite');
    const metrics = new ServerMetrics(db.storage.db, () => server.clock.now);
    server = await testServer(db.storage, undefined, true, undefined, {
      metrics,
      ...(token ? { metricsToken: token } : {}),
    });
    return metrics;
  }

  const scrape = (authorization?: string) =>
    server.app.inject({
      method: 'GET',
      url: '/metrics',
      headers: authorization ? { authorization } : {},
    });

  it('is there only with the token, and says what an operator needs', async () => {
    const metrics = await start(TOKEN);
    expect((await scrape()).statusCode).toBe(401);
    expect((await scrape(`Bearer ${TOKEN.slice(0, -1)}x`)).statusCode).toBe(401);

    const client = new ExamClient(server.app);
    expect((await client.signIn()).statusCode).toBe(200);
    await client.fetchPackage();
    expect((await client.sync([client.append('session.started', sessionStarted)])).statusCode).toBe(
      200,
    );
    expect((await client.heartbeat(1, 'in-progress')).statusCode).toBe(200);
    // SQLite's group commit reports each flush (the server passes metrics.flushed).
    const flushes: number[] = [];
    const own = openStorage({
      databaseUrl: null,
      dataDir: db.dataDir + '-own',
      onFlush: (writes, ms) => {
        flushes.push(writes);
        metrics.flushed(writes, ms);
      },
    });
    try {
      await migrate(own.db);
      await own.durable();
    } finally {
      await own.close();
      await rm(db.dataDir + '-own', { recursive: true, force: true });
    }
    expect(flushes.length).toBeGreaterThan(0);
    expect(flushes.every((writes) => writes > 0)).toBe(true);

    const reply = await scrape(`Bearer ${TOKEN}`);
    expect(reply.statusCode).toBe(200);
    expect(reply.headers['content-type']).toContain('text/plain');
    const text = reply.body;
    expect(text).toContain(
      `vakt_http_requests_total{method="POST",route="${CLIENT_ROUTES.signIn}",status="200"} 1`,
    );
    expect(text).toMatch(
      /vakt_http_request_duration_seconds_count\{method="POST",route="\/api\/v1\/client\/records"\} 1/,
    );
    expect(text).toContain('vakt_candidates{status="in-progress"} 1');
    expect(text).toContain('vakt_handover_backlog 0');
    expect(text).toContain('vakt_live_streams 0');
    expect(text).toContain(`vakt_group_commit_writes_count ${flushes.length}`);
    expect(text).toMatch(/vakt_nodejs_eventloop_lag_seconds \d/);
    // Nothing personal, nothing secret: no candidate, exam code, journal or token.
    for (const secret of ['1001', 'TEST-1', client.journalId, client.token, server.exam.id])
      expect(text).not.toContain(secret);
  });

  it('is not served at all without a token configured', async () => {
    await start();
    expect((await scrape(`Bearer ${TOKEN}`)).statusCode).toBe(404);
  });
});

const sessionStarted = { examId: 'x', clientVersion: '1.0.0' };
