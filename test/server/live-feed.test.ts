import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CLIENT_ROUTES } from '../../src/common/api';
import { parseExamFile } from '../../src/common/exam-file';
import { chainRecord } from '../../src/common/journal-record';
import { STAFF_API_PREFIX } from '../../src/common/staff-api';
import { insertCandidate } from '../../src/server/repositories/candidates';
import { insertExam } from '../../src/server/repositories/exams';
import { createStaffUser } from '../../src/server/repositories/staff';
import { DIALECTS, freshStorage, POSTGRES_URL, type TestStorage } from '../support/databases';
import { signInOverHttp } from '../support/http-client';
import { freePort } from '../support/net';
import { TEST_EXAM } from '../support/server';

/**
 * Two real server processes on one PostgreSQL database: a flag uploaded to the first appears
 * on a dashboard's Server-Sent Events stream from the second (LISTEN/NOTIFY between them).
 */
const root = new URL('../..', import.meta.url).pathname;
const PUBLIC_URL = 'http://vakt.test';

async function startServer(
  env: Record<string, string>,
): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/server.ts'], {
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
  return { child, url };
}

describe.skipIf(!DIALECTS.includes('postgres'))('live feed across two server processes', () => {
  let db: TestStorage;
  let dataDir: string;
  const servers: ChildProcess[] = [];

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
    await insertCandidate(db.storage.db, exam.id, {
      candidateNumber: '1001',
      name: 'Kari',
      personalCode: 'secret-1',
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

    // A dashboard on server B.
    const signIn = await fetch(`${b.url}${STAFF_API_PREFIX}/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@vakt.test', password: 'correct horse battery' }),
    });
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
    const controller = new AbortController();
    const stream = await fetch(`${b.url}${STAFF_API_PREFIX}/exams/${exam.id}/events`, {
      headers: { cookie },
      signal: controller.signal,
    });
    expect(stream.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = stream.body!.getReader();
    let received = '';
    const reading = (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        received += Buffer.from(value).toString();
      }
    })().catch(() => undefined);

    // A candidate on server A.
    const candidate = await signInOverHttp(a.url, PUBLIC_URL);
    const { journalId } = candidate;
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

    await expect.poll(() => received, { timeout: 15_000, interval: 100 }).toContain('event: flag');
    const flag = received
      .split('\n\n')
      .find((block) => block.startsWith('event: flag'))!
      .split('\n')
      .find((line) => line.startsWith('data: '))!
      .slice(6);
    expect(JSON.parse(flag)).toMatchObject({
      type: 'flag',
      examId: exam.id,
      journalId,
      seq: 1,
      kind: 'process.started',
      severity: 'high',
    });
    controller.abort();
    await reading;
  }, 90_000);
});
