import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { loadServerKeys } from '../../src/server/keys';
import { insertCandidate } from '../../src/server/repositories/candidates';
import { testClient, until, type TestClient } from '../support/client-session';
import { DIALECTS, freshStorage, POSTGRES_URL, type TestStorage } from '../support/databases';
import { openLiveStream, type LiveStream } from '../support/live-stream';
import { freePort } from '../support/net';
import { testServer, type TestServer } from '../support/server';
import { staffCookie } from '../support/staff';

const root = new URL('../..', import.meta.url).pathname;
const HAPROXY = '/usr/sbin/haproxy';
const METRICS_TOKEN = 'multi-node-metrics-0123456789';

/** How many live streams a node serves, by its own metrics. */
async function liveStreams(port: number): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${port}/metrics`, {
    headers: { authorization: `Bearer ${METRICS_TOKEN}` },
  });
  return Number(/^vakt_live_streams (\d+)$/m.exec(await response.text())?.[1] ?? NaN);
}

function haproxyMissing(): boolean {
  if (existsSync(HAPROXY)) return false;
  const reason = `HAProxy not found at ${HAPROXY} (apt-get install haproxy)`;
  if (process.env.CI === 'true') throw new Error(`${reason}; CI must have it`);
  console.warn(`SKIPPED the multi-node test: ${reason}.`);
  return true;
}

/** Lets a process's output be read, and tells whether it has exited. */
function started(child: ChildProcess): { output: () => string } {
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { output: () => output };
}

/** Waits until `url` answers 200 (outside a test, where expect.poll cannot run). */
async function answering(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await answers(url))) {
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(2_000) })).ok;
  } catch {
    return false;
  }
}

/**
 * Scale-out, shown rather than claimed: two real server processes on one PostgreSQL behind
 * HAProxy (deploy/haproxy/haproxy.cfg as shipped, only its addresses changed), candidates
 * syncing through it with the real client and a dashboard watching. One server is killed with
 * SIGKILL mid-exam: the candidates carry on through the other with nothing lost or
 * duplicated, and the dashboard, reconnecting as a browser's EventSource does, keeps updating.
 */
describe.skipIf(!DIALECTS.includes('postgres') || haproxyMissing())(
  'two server processes behind HAProxy on one PostgreSQL',
  { timeout: 180_000 },
  () => {
    let db: TestStorage;
    let seeded: TestServer;
    let dataDir: string;
    const processes: ChildProcess[] = [];
    const clients: TestClient[] = [];
    let nodes: { child: ChildProcess; output: () => string; port: number }[];
    let balancer: string;
    let publicKey: string;

    beforeAll(async () => {
      db = await freshStorage('postgres');
      // The exam TEST-1 (open now), and its candidates, straight into the shared database.
      seeded = await testServer(db.storage);
      for (let n = 3; n <= 4; n += 1)
        await insertCandidate(db.storage.db, seeded.exam.id, {
          candidateNumber: `100${n}`,
          name: `Candidate ${n}`,
          personalCode: `secret-${n}`,
        });
      dataDir = await mkdtemp(join(tmpdir(), 'vakt-nodes-'));
      // One key folder for both: every node signs packages with the key the clients pin.
      publicKey = loadServerKeys(dataDir).signing.publicKey;
      const [lb, a, b] = [await freePort(), await freePort(), await freePort()];
      balancer = `http://127.0.0.1:${lb}`;
      nodes = [a, b].map((port) => {
        const child = spawn(process.execPath, [join(root, 'bin/vakt-server.mjs'), 'serve'], {
          cwd: root,
          env: {
            ...process.env,
            PORT: String(port),
            DATABASE_URL: POSTGRES_URL,
            VAKT_DATABASE_SCHEMA: db.storage.schema!,
            VAKT_DATA_DIR: dataDir,
            VAKT_PUBLIC_URL: balancer,
            VAKT_TRUST_PROXY: '127.0.0.1',
            VAKT_RETENTION: 'off',
            VAKT_METRICS_TOKEN: METRICS_TOKEN,
          },
        });
        processes.push(child);
        return { child, port, ...started(child) };
      });
      for (const node of nodes) await answering(`http://127.0.0.1:${node.port}/api/ready`, 60_000);
      const shipped = await readFile(join(root, 'deploy/haproxy/haproxy.cfg'), 'utf8');
      const config = shipped
        .replace('127.0.0.1:8443', `127.0.0.1:${lb}`)
        .replace('127.0.0.1:8081', `127.0.0.1:${a}`)
        .replace('127.0.0.1:8082', `127.0.0.1:${b}`);
      const configFile = join(dataDir, 'haproxy.cfg');
      await writeFile(configFile, config);
      const haproxy = spawn(HAPROXY, ['-f', configFile, '-db']);
      processes.push(haproxy);
      const proxyOutput = started(haproxy).output;
      await answering(`${balancer}/api/ready`, 30_000).catch((error: unknown) => {
        throw new Error(`${(error as Error).message}; HAProxy said:\n${proxyOutput()}`);
      });
    });

    afterAll(async () => {
      for (const client of clients) await client.cleanup();
      for (const child of processes) if (child.exitCode === null) child.kill('SIGKILL');
      await seeded?.app.close();
      await db?.cleanup();
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    });

    it('carries on through the other server when one is killed, losing nothing', async () => {
      // Only what the client needs of a server: where it is, and the key it pins.
      const server = { publicUrl: balancer, keys: { signing: { publicKey } } } as TestServer;
      const sessions = [];
      for (let n = 1; n <= 4; n += 1) {
        const client = await testClient(server, balancer, { requestTimeoutMs: 3_000 });
        clients.push(client);
        await client.session.signIn({
          examCode: 'TEST-1',
          candidateNumber: `100${n}`,
          personalCode: `secret-${n}`,
        });
        await client.session.startExam();
        sessions.push(client.session);
      }
      const { cookie } = await staffCookie(seeded.app, db.storage, 'inv@vakt.test', 'admin');
      let stream: LiveStream = await openLiveStream(balancer, seeded.exam.id, cookie);
      let reconnects = 0;

      // Every candidate types on, through the balancer, before and after the kill.
      const last = new Map<number, string>();
      let typing = true;
      const typed = Promise.all(
        sessions.map(async (session, index) => {
          for (let k = 0; typing; k += 1) {
            const text = `candidate ${index + 1}, change ${k}`;
            await session.saveAnswer('q2', { type: 'short-text', text });
            last.set(index, text);
            await new Promise((resolve) => setTimeout(resolve, 100));
          }
        }),
      );
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      // The node the dashboard's stream went to is the one that dies (its own metrics say).
      const victim = (await liveStreams(nodes[0]!.port)) === 1 ? 0 : 1;
      expect(await liveStreams(nodes[victim]!.port)).toBe(1);
      nodes[victim]!.child.kill('SIGKILL');
      const survivor = nodes[1 - victim]!;
      const killedAt = Date.now();

      // The dashboard reconnects when its stream breaks, as EventSource does, and updates go on.
      let fresh = 0;
      await expect
        .poll(
          async () => {
            if (stream.closed()) {
              stream = await openLiveStream(balancer, seeded.exam.id, cookie);
              reconnects += 1;
              fresh = 0;
            }
            fresh = stream.candidateEvents();
            return Date.now() - killedAt > 5_000 && fresh > 0;
          },
          { timeout: 60_000, interval: 500 },
        )
        .toBe(true);
      typing = false;
      await typed;

      // Everything typed reaches the server once: no journal misses a record or has one twice.
      for (const session of sessions)
        await until(
          () => session.state().unsyncedRecords === 0,
          'every record acknowledged',
          60_000,
        );
      for (const [index, session] of sessions.entries()) {
        const journalId = session.journalId!;
        // Heartbeats go on and may journal a nonce after the check above: compare with the
        // journal's head as it is when the server's rows are read, until they agree.
        const stored = async () => {
          const head = session.sync.journal.headSeq;
          const rows = await db.storage.db
            .selectFrom('records')
            .select('seq')
            .where('journal_id', '=', journalId)
            .orderBy('seq')
            .execute();
          return { seqs: rows.map((row) => row.seq), head };
        };
        // Every record from 1 to the head, once: none missing, none twice.
        const whole = async () => {
          const { seqs, head } = await stored();
          return seqs.length === head && seqs.every((seq, i) => seq === i + 1);
        };
        await expect.poll(whole, { timeout: 60_000, interval: 500 }).toBe(true);
        const answer = await db.storage.db
          .selectFrom('answers')
          .innerJoin('journals', 'journals.candidate_id', 'answers.candidate_id')
          .select('answers.value')
          .where('journals.id', '=', journalId)
          .where('answers.question_id', '=', 'q2')
          .executeTakeFirstOrThrow();
        expect(JSON.parse(answer.value)).toEqual({ type: 'short-text', text: last.get(index) });
      }
      expect(reconnects).toBeGreaterThanOrEqual(1);
      expect(survivor.output()).not.toContain('server error');
      console.log(
        `multi-node: ${sessions.length} candidates, dashboard reconnected ${reconnects} time(s), ` +
          `${[...last.values()].length} final answers checked`,
      );
      await stream.cancel();
    });
  },
);
