import { monitorEventLoopDelay, performance } from 'node:perf_hooks';

import { CLIENT_ROUTES } from '../src/common/api';
import { configKey, configKeyRequestHash, CONFIG_KEY_HEADER } from '../src/common/config-key';
import { chainRecord, type JournalRecord } from '../src/common/journal-record';
import { STAFF_API_PREFIX } from '../src/common/staff-api';
import { DIALECTS } from '../test/support/databases';

import {
  benchDatabase,
  cpuSeconds,
  postgresPids,
  seedCandidates,
  startServer,
  staffSessionCookie,
  type Sim,
} from './harness';
import { quantile, report } from './report';

/**
 * Simulated candidates on loopback against one server process (a child process, so its CPU is
 * its own): each sends a heartbeat every 10 s and a batch of 3 records every 5 s; one SSE
 * subscriber per 100 candidates. Steps double the candidates until p99 latency passes 100 ms
 * (or STEPS run out). Figures per step: requests/s, p50, p99, server CPU %, database CPU %.
 */
const STEP_SECONDS = Number(process.env.VAKT_BENCH_STEP_SECONDS ?? 15);
const STEPS = (process.env.VAKT_BENCH_STEPS ?? '100,200,400,800,1600,3200').split(',').map(Number);

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
  const { db, exam } = await benchDatabase(dialect);
  const bench = await startServer(db, dialect);
  const server = bench.process;
  const base = bench.base;
  const cookie = await staffSessionCookie(base, 'bench@vakt.test');
  const key = configKey(exam.policy);
  const hash = (path: string) => configKeyRequestHash(base, path, key);
  const sims: Sim[] = [];
  const streams: AbortController[] = [];
  let best = 0;

  for (const target of STEPS) {
    sims.push(...(await seedCandidates(db.storage, exam, target - sims.length, sims.length)));
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
  await bench.stop();
  await db.cleanup();
}
