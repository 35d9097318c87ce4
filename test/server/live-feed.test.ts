import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CLIENT_ROUTES } from '../../src/common/api';
import { parseExamFile } from '../../src/common/exam-file';
import { chainRecord } from '../../src/common/journal-record';
import { STAFF_API_PREFIX } from '../../src/common/staff-api';
import { LIVE_FLUSH_MS } from '../../src/server/live/live-feed';
import { insertCandidate } from '../../src/server/repositories/candidates';
import { insertExam } from '../../src/server/repositories/exams';
import { createStaffUser } from '../../src/server/repositories/staff';
import { DIALECTS, freshStorage, POSTGRES_URL, type TestStorage } from '../support/databases';
import { signInOverHttp } from '../support/http-client';
import { freePort } from '../support/net';
import { candidateIdOf, TEST_EXAM } from '../support/server';

/**
 * Two real server processes on one PostgreSQL database: a flag uploaded to the first is heard
 * on a dashboard's Server-Sent Events stream from the second (LISTEN/NOTIFY between them).
 */
const root = new URL('../..', import.meta.url).pathname;
const PUBLIC_URL = 'http://vakt.test';

async function startServer(
  env: Record<string, string>,
): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const port = await freePort();
  // The built server (the global setup builds it), as IT runs it.
  const child = spawn(process.execPath, ['bin/vakt-server.mjs', 'serve'], {
    cwd: root,
    env: { ...process.env, ...env, HOST: '127.0.0.1', PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  await expect
    .poll(async () => (await fetch(`${url}/api/health`).catch(() => null))?.status ?? output, {
      timeout: 30_000,
      interval: 200,
    })
    .toBe(200);
  return { child, url, output: () => output };
}

/** An admin's live stream of `examId` on the server at `url`; `text()` is what has arrived. */
async function openDashboardStream(url: string, examId: string) {
  const signIn = await fetch(`${url}${STAFF_API_PREFIX}/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'admin@vakt.test', password: 'correct horse battery' }),
  });
  const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
  const controller = new AbortController();
  const stream = await fetch(`${url}${STAFF_API_PREFIX}/exams/${examId}/events`, {
    headers: { cookie },
    signal: controller.signal,
  });
  const reader = stream.body!.getReader();
  let received = '';
  const reading = (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      received += Buffer.from(value).toString();
    }
  })().catch(() => undefined);
  return {
    contentType: stream.headers.get('content-type'),
    text: () => received,
    close: async () => {
      controller.abort();
      await reading;
    },
  };
}

describe.skipIf(!DIALECTS.includes('postgres'))('live feed across two server processes', () => {
  let db: TestStorage;
  let dataDir: string;
  const servers: ChildProcess[] = [];
  const serverUrls: string[] = [];
  const outputs: (() => string)[] = [];
  let examId = '';

  beforeAll(async () => {
    db = await freshStorage('postgres');
    dataDir = await mkdtemp(join(tmpdir(), 'vakt-live-'));
  });

  afterAll(async () => {
    for (const child of servers) {
      child.kill('SIGTERM');
      await new Promise((resolve) =>
        child.exitCode === null ? child.once('exit', resolve) : resolve(null),
      );
    }
    await db.cleanup();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('delivers a flag posted to one server to the SSE stream of the other', async () => {
    const parsed = parseExamFile(TEST_EXAM);
    if (!parsed.ok) throw new Error('bad fixture');
    const exam = await insertExam(db.storage.db, parsed.value, 0);
    examId = exam.id;
    await insertCandidate(db.storage.db, exam.id, {
      candidateNumber: '1001',
      name: 'Kari',
      personalCode: 'secret-1',
    });
    await insertCandidate(db.storage.db, exam.id, {
      candidateNumber: '1002',
      name: 'Ola',
      personalCode: 'secret-2',
    });
    await createStaffUser(
      db.storage.db,
      { email: 'admin@vakt.test', name: 'Admin', role: 'admin', password: 'correct horse battery' },
      0,
    );

    const env = {
      DATABASE_URL: POSTGRES_URL,
      VAKT_DATABASE_SCHEMA: db.storage.schema!,
      VAKT_DATA_DIR: dataDir,
      VAKT_PUBLIC_URL: PUBLIC_URL,
      VAKT_MIN_CLIENT_VERSION: '1.0.0',
    };
    const a = await startServer(env);
    servers.push(a.child);
    const b = await startServer(env);
    servers.push(b.child);
    serverUrls.push(a.url, b.url);
    outputs.push(a.output, b.output);

    // A dashboard on server B, and a candidate signed in on server A.
    const dashboard = await openDashboardStream(b.url, exam.id);
    expect(dashboard.contentType).toMatch(/text\/event-stream/);
    const candidate = await signInOverHttp(a.url, PUBLIC_URL);
    const { journalId } = candidate;
    const candidateId = await candidateIdOf(db.storage, '1001');
    await expect.poll(() => dashboard.text(), { timeout: 15_000 }).toContain(candidateId);
    await new Promise((resolve) => setTimeout(resolve, 3 * LIVE_FLUSH_MS));

    // A flag uploaded to A: B's dashboard hears that this candidate changed, by id alone.
    const mark = dashboard.text().length;
    const record = chainRecord(null, {
      kind: 'process.started',
      at: Date.now(),
      mono: 1,
      payload: { name: 'AnyDesk', category: 'remote-access', action: 'terminate' },
    });
    const upload = await fetch(`${a.url}${CLIENT_ROUTES.records}`, {
      method: 'POST',
      headers: candidate.headers(CLIENT_ROUTES.records),
      body: JSON.stringify({ journalId, records: [record] }),
    });
    expect(upload.status).toBe(200);
    await expect
      .poll(() => dashboard.text().slice(mark), { timeout: 15_000, interval: 100 })
      .toContain('event: candidates');
    const event = dashboard
      .text()
      .slice(mark)
      .split('\n\n')
      .find((block) => block.startsWith('event: candidates'))!
      .split('data: ')[1]!;
    expect(JSON.parse(event)).toEqual({
      type: 'candidates',
      examId: exam.id,
      candidateIds: [candidateId],
    });
    await dashboard.close();
  }, 90_000);

  it('survives its PostgreSQL connections being terminated under load, and the feed catches up', async () => {
    const [a, b] = servers;
    const urls = serverUrls;
    const dashboard = await openDashboardStream(urls[1]!, examId);

    // Load: a candidate uploading flags to server A, while every connection both servers hold
    // to PostgreSQL (named vakt/<schema>) is terminated, three times over.
    const candidate = await signInOverHttp(urls[0]!, PUBLIC_URL, {
      examCode: 'TEST-1',
      candidateNumber: '1002',
      personalCode: 'secret-2',
    });
    let previous: ReturnType<typeof chainRecord> | null = null;
    const statuses: number[] = [];
    const upload = async () => {
      const record = chainRecord(previous, {
        kind: 'process.started',
        at: Date.now(),
        mono: 1,
        payload: { name: 'AnyDesk', category: 'remote-access', action: 'terminate' },
      });
      // As the real client does: a 5xx or a dropped connection is retried; the record may have
      // been stored before the answer was lost, which the server acknowledges as a retry.
      for (let attempt = 0; attempt < 50; attempt += 1) {
        const answer = await fetch(`${urls[0]}${CLIENT_ROUTES.records}`, {
          method: 'POST',
          headers: candidate.headers(CLIENT_ROUTES.records),
          body: JSON.stringify({ journalId: candidate.journalId, records: [record] }),
        }).catch(() => null);
        statuses.push(answer?.status ?? 0);
        if (answer?.status === 200) {
          previous = record;
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(
        `upload never accepted: ${statuses.join(' ')}\n${outputs.map((o) => o()).join('\n---\n')}`,
      );
    };
    let loading = true;
    const load = (async () => {
      while (loading) await upload();
    })();
    const admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    let terminated = 0;
    for (let round = 0; round < 3; round += 1) {
      await new Promise((resolve) => setTimeout(resolve, 300));
      const result = await admin.query(
        'select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1',
        [`vakt/${db.storage.schema}`],
      );
      terminated += result.rows.length;
    }
    await admin.end();
    await new Promise((resolve) => setTimeout(resolve, 300));
    loading = false;
    await load;
    expect(terminated).toBeGreaterThan(0);

    // Both processes are alive, never answered 500, and the dashboard was told to reload.
    expect(a!.exitCode).toBeNull();
    expect(b!.exitCode).toBeNull();
    expect(
      statuses.filter((status) => status === 500),
      outputs.map((output) => output()).join('\n---\n'),
    ).toEqual([]);
    await expect
      .poll(() => dashboard.text(), { timeout: 20_000, interval: 100 })
      .toContain('event: resync');
    // Then new flags flow again.
    const before = dashboard.text().split('event: candidates').length;
    await upload();
    await expect
      .poll(() => dashboard.text().split('event: candidates').length, {
        timeout: 15_000,
        interval: 100,
      })
      .toBeGreaterThan(before);
    await dashboard.close();
  }, 90_000);
});
