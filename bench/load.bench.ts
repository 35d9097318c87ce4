import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';

import { CLIENT_ROUTES } from '../src/common/api';
import { configKey, configKeyRequestHash, CONFIG_KEY_HEADER } from '../src/common/config-key';
import { parseExamFile } from '../src/common/exam-file';
import { chainRecord, type JournalRecord } from '../src/common/journal-record';
import { STAFF_API_PREFIX } from '../src/common/staff-api';
import type { Storage } from '../src/server/db/database';
import { insertExam, type Exam } from '../src/server/repositories/exams';
import { openJournal } from '../src/server/repositories/journals';
import { createSession } from '../src/server/repositories/sessions';
import { createStaffUser } from '../src/server/repositories/staff';
import { DIALECTS, freshStorage, POSTGRES_URL } from '../test/support/databases';
import { freePort } from '../test/support/net';
import { TEST_EXAM } from '../test/support/server';

import { quantile, report } from './report';

/**
 * Simulated candidates on loopback against one server process (a child process, so its CPU is
 * its own): each sends a heartbeat every 10 s and a batch of 3 records every 5 s; one SSE
 * subscriber per 100 candidates. Steps double the candidates until p99 latency passes 100 ms
 * (or STEPS run out). Figures per step: requests/s, p50, p99, server CPU %, database CPU %.
 */
const STEP_SECONDS = Number(process.env.VAKT_BENCH_STEP_SECONDS ?? 15);
const STEPS = (process.env.VAKT_BENCH_STEPS ?? '100,200,400,800,1600,3200').split(',').map(Number);
const PUBLIC_URL = 'http://vakt.bench';
const root = new URL('..', import.meta.url).pathname;

interface Sim {
  journalId: string;
  token: string;
  records: JournalRecord[];
}

/** CPU seconds (user + system) used so far by the processes `pids` lists. */
function cpuSeconds(pids: () => number[]): number {
  let ticks = 0;
  for (const pid of pids()) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // the process ended
    }
  }
  return ticks / 100;
}

/** The PostgreSQL server's processes (every backend), for its CPU figure. */
function postgresPids(): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/comm`, 'utf8').startsWith('postgres');
      } catch {
        return false;
      }
    });
}

async function seed(storage: Storage, exam: Exam, count: number, offset: number): Promise<Sim[]> {
  const sims: Sim[] = [];
  for (let i = 0; i < count; i += 1) {
    const id = randomUUID();
    // A placeholder hash: sessions are made directly, so no one signs in with it.
    await storage.db
      .insertInto('candidates')
      .values({
        id,
        exam_id: exam.id,
        candidate_number: `L${offset + i}`,
        name: 'Load',
        personal_code_hash: 'x',
        extra_minutes: 0,
      })
      .execute();
    const journal = await openJournal(storage.db, {
      journalId: randomUUID(),
      candidateId: id,
      deviceIdHash: 'd'.repeat(64),
      publicKey: 'e'.repeat(64),
      clientVersion: '1.0.0',
      now: Date.now(),
    });
    const token = await createSession(
      storage.db,
      id,
      journal.id,
      Date.now() + 86_400_000,
      Date.now(),
    );
    sims.push({ journalId: journal.id, token, records: [] });
  }
  return sims;
}

async function timed(
  latencies: number[],
  errors: { count: number },
  run: () => Promise<Response>,
): Promise<void> {
  const started = performance.now();
  try {
    const response = await run();
    await response.arrayBuffer();
    if (response.status !== 200) errors.count += 1;
  } catch {
    errors.count += 1;
  }
  latencies.push(performance.now() - started);
}

for (const dialect of DIALECTS) {
  const db = await freshStorage(dialect);
  const parsed = parseExamFile(TEST_EXAM);
  if (!parsed.ok) throw new Error('bad exam fixture');
  const exam = await insertExam(db.storage.db, parsed.value, 0);
  await createStaffUser(
    db.storage.db,
    { email: 'bench@vakt.test', name: 'Bench', role: 'admin', password: 'correct horse battery' },
    0,
  );
  const port = await freePort();
  const server: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/server/server.ts'],
    {
      cwd: root,
      stdio: 'ignore',
      env: {
        ...process.env,
        HOST: '127.0.0.1',
        PORT: String(port),
        VAKT_DATA_DIR: db.dataDir,
        VAKT_PUBLIC_URL: PUBLIC_URL,
        VAKT_MIN_CLIENT_VERSION: '1.0.0',
        DATABASE_URL: dialect === 'postgres' ? POSTGRES_URL : '',
        VAKT_DATABASE_SCHEMA: db.storage.schema ?? 'public',
      },
    },
  );
  const base = `http://127.0.0.1:${port}`;
  for (
    let i = 0;
    i < 150 &&
    !(await fetch(`${base}/api/health`).then(
      (r) => r.ok,
      () => false,
    ));
    i += 1
  ) {
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const cookie = (
    await fetch(`${base}${STAFF_API_PREFIX}/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'bench@vakt.test', password: 'correct horse battery' }),
    })
  ).headers
    .get('set-cookie')!
    .split(';')[0]!;
  const key = configKey(exam.policy);
  const hash = (path: string) => configKeyRequestHash(PUBLIC_URL, path, key);
  const sims: Sim[] = [];
  const streams: AbortController[] = [];
  let best = 0;

  for (const target of STEPS) {
    sims.push(...(await seed(db.storage, exam, target - sims.length, sims.length)));
    while (streams.length < Math.ceil(target / 100)) {
      const controller = new AbortController();
      streams.push(controller);
      void fetch(`${base}${STAFF_API_PREFIX}/exams/${exam.id}/events`, {
        headers: { cookie },
        signal: controller.signal,
      })
        .then(async (r) => {
          const reader = r.body!.getReader();
          for (;;) if ((await reader.read()).done) return;
        })
        .catch(() => undefined);
    }
    const latencies: number[] = [];
    const errors = { count: 0 };
    const timers: NodeJS.Timeout[] = [];
    const pending: Promise<void>[] = [];
    const serverCpu0 = cpuSeconds(() => [server.pid!]);
    const dbCpu0 = dialect === 'postgres' ? cpuSeconds(postgresPids) : 0;
    // If the generator's own loop lags, its latencies overstate the server's: report it too.
    const generatorLoop = monitorEventLoopDelay({ resolution: 10 });
    generatorLoop.enable();
    const started = performance.now();
    for (const sim of sims) {
      const headers = { 'content-type': 'application/json', authorization: `Bearer ${sim.token}` };
      const beat = () =>
        pending.push(
          timed(latencies, errors, () =>
            fetch(`${base}${CLIENT_ROUTES.heartbeat}`, {
              method: 'POST',
              headers: { ...headers, [CONFIG_KEY_HEADER]: hash(CLIENT_ROUTES.heartbeat) },
              body: JSON.stringify({
                journalId: sim.journalId,
                headSeq: sim.records.length,
                status: 'in-progress',
              }),
            }),
          ),
        );
      const batch = () => {
        const fresh: JournalRecord[] = [];
        for (let i = 0; i < 3; i += 1) {
          const record = chainRecord(sim.records.at(-1) ?? null, {
            kind: 'answer.saved',
            at: Date.now(),
            mono: Math.round(performance.now()),
            payload: {
              questionId: 'q2',
              value: { type: 'short-text', text: `answer ${sim.records.length}` },
            },
          });
          sim.records.push(record);
          fresh.push(record);
        }
        pending.push(
          timed(latencies, errors, () =>
            fetch(`${base}${CLIENT_ROUTES.records}`, {
              method: 'POST',
              headers: { ...headers, [CONFIG_KEY_HEADER]: hash(CLIENT_ROUTES.records) },
              body: JSON.stringify({ journalId: sim.journalId, records: fresh }),
            }),
          ),
        );
      };
      // Spread each candidate's phase so load is even, as in a real hall.
      timers.push(
        setTimeout(() => {
          beat();
          timers.push(setInterval(beat, 10_000));
        }, Math.random() * 10_000),
      );
      timers.push(
        setTimeout(() => {
          batch();
          timers.push(setInterval(batch, 5_000));
        }, Math.random() * 5_000),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, STEP_SECONDS * 1000));
    for (const timer of timers) clearTimeout(timer);
    await Promise.all(pending);
    const seconds = (performance.now() - started) / 1000;
    const p99 = quantile(latencies, 0.99);
    const label = `${dialect}-${target}-candidates`;
    report('load', `${label}-requests-per-second`, latencies.length / seconds, 'req/s');
    report('load', `${label}-p50`, quantile(latencies, 0.5), 'ms');
    report('load', `${label}-p99`, p99, 'ms');
    report('load', `${label}-errors`, errors.count, 'requests');
    generatorLoop.disable();
    report('load', `${label}-generator-loop-delay-p99`, generatorLoop.percentile(99) / 1e6, 'ms');
    report(
      'load',
      `${label}-server-cpu`,
      ((cpuSeconds(() => [server.pid!]) - serverCpu0) / seconds) * 100,
      '% of one core',
    );
    if (dialect === 'postgres') {
      report(
        'load',
        `${label}-database-cpu`,
        ((cpuSeconds(postgresPids) - dbCpu0) / seconds) * 100,
        '% of one core',
      );
    }
    if (p99 > 100 || errors.count > 0) break;
    best = target;
  }
  report('load', `${dialect}-max-candidates-p99-under-100ms`, best, 'candidates');
  for (const controller of streams) controller.abort();
  server.kill('SIGTERM');
  await new Promise((resolve) => server.once('exit', resolve));
  await db.cleanup();
}
