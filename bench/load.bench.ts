import { monitorEventLoopDelay, performance } from 'node:perf_hooks';

import { Pool } from 'undici';

import { CLIENT_ROUTES, type Ack } from '../src/common/api';
import { configKey, configKeyRequestHash, CONFIG_KEY_HEADER } from '../src/common/config-key';
import { chainRecord, type NewEntry } from '../src/common/journal-record';
import { STAFF_API_PREFIX } from '../src/common/staff-api';
import { DIALECTS } from '../test/support/databases';

import { balancedServers, oneServer } from './balanced';
import {
  benchDatabase,
  cpuSeconds,
  postgresPids,
  residentBytes,
  seedCandidates,
  staffSessionCookie,
  type Sim,
} from './harness';
import { quantile, report } from './report';

/**
 * Simulated candidates on loopback against one server process (a child process, so its CPU is
 * its own): each sends a heartbeat every 10 s and a batch of 3 answers every 5 s (with the
 * nonce of the last acknowledgement journaled first, as the client does; like the client, one
 * upload at a time, and what is written meanwhile goes with the next); one SSE
 * subscriber per 100 candidates (VAKT_BENCH_STREAMS_PER, 0 for none). Steps double the
 * candidates until p99 latency passes 100 ms or a request fails. Per step: requests/s, p50,
 * p99, errors, server CPU (and per 1,000 candidates), server memory (and per candidate), the
 * generator's own CPU and loop delay, and PostgreSQL's CPU.
 *
 * The generator shares the machine with the server, so it is kept cheap: undici's pool over
 * keep-alive connections (a hall's laptops each hold one; 64 carry the same requests here).
 */
const STEP_SECONDS = Number(process.env.VAKT_BENCH_STEP_SECONDS ?? 15);
const STEPS = (process.env.VAKT_BENCH_STEPS ?? '100,200,400,800,1600,3200,6400,12800,25600')
  .split(',')
  .map(Number);
const STREAMS_PER = Number(process.env.VAKT_BENCH_STREAMS_PER ?? 100);
const CONNECTIONS = Number(process.env.VAKT_BENCH_CONNECTIONS ?? 64);
const only = process.env.VAKT_BENCH_DIALECTS?.split(',');
/** Server processes (VAKT_BENCH_PROCESSES): more than one runs behind HAProxy, on PostgreSQL. */
const PROCESSES = Number(process.env.VAKT_BENCH_PROCESSES ?? 1);

interface Tally {
  latencies: number[];
  errors: Map<number, number>;
  firstError: string | null;
}

async function timed(
  tally: Tally,
  run: () => Promise<{ status: number; body: string }>,
  onOk?: (body: string) => void,
) {
  const started = performance.now();
  try {
    const { status, body } = await run();
    if (status === 200) onOk?.(body);
    else {
      tally.errors.set(status, (tally.errors.get(status) ?? 0) + 1);
      tally.firstError ??= `${status} ${body.slice(0, 200)}`;
    }
  } catch (error) {
    tally.errors.set(0, (tally.errors.get(0) ?? 0) + 1);
    tally.firstError ??= String(error);
  }
  tally.latencies.push(performance.now() - started);
}

for (const dialect of DIALECTS.filter((d) => !only || only.includes(d))) {
  if (PROCESSES > 1 && dialect === 'sqlite') {
    console.error('SKIPPED sqlite with several processes: they share one database on PostgreSQL.');
    continue;
  }
  const { db, exam } = await benchDatabase(dialect);
  const bench =
    PROCESSES > 1 ? await balancedServers(db, dialect, PROCESSES) : await oneServer(db, dialect);
  const pids = () => bench.serverPids;
  const base = bench.base;
  const pool = new Pool(base, { connections: CONNECTIONS, pipelining: 1 });
  const cookie = await staffSessionCookie(base, 'bench@vakt.test');
  const key = configKey(exam.policy);
  const hashes = {
    heartbeat: configKeyRequestHash(base, CLIENT_ROUTES.heartbeat, key),
    records: configKeyRequestHash(base, CLIENT_ROUTES.records, key),
  };
  const post = async (path: string, hash: string, token: string, body: unknown) => {
    const response = await pool.request({
      path,
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
        [CONFIG_KEY_HEADER]: hash,
      },
      body: JSON.stringify(body),
    });
    return { status: response.statusCode, body: await response.body.text() };
  };
  const rss = () => pids().reduce((sum, pid) => sum + residentBytes(pid), 0);
  const idleRss = rss();
  const sims: Sim[] = [];
  const streams: AbortController[] = [];
  let best = 0;

  for (const target of STEPS) {
    sims.push(...(await seedCandidates(db.storage, exam, target - sims.length, sims.length)));
    while (STREAMS_PER > 0 && streams.length < Math.ceil(target / STREAMS_PER)) {
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
    // Each new candidate's first request is not timed: the server looks its token up once
    // (rate-limit key), and a hall's laptops have signed in before the exam's steady state.
    const warmUp: Tally = { latencies: [], errors: new Map(), firstError: null };
    for (let i = 0; i < sims.length; i += 200) {
      await Promise.all(
        sims.slice(i, i + 200).map((sim) =>
          timed(warmUp, () =>
            post(CLIENT_ROUTES.heartbeat, hashes.heartbeat, sim.token, {
              journalId: sim.journalId,
              headSeq: sim.records.length,
              status: 'in-progress',
            }),
          ),
        ),
      );
    }
    const tally: Tally = { latencies: [], errors: new Map(), firstError: null };
    const timers: NodeJS.Timeout[] = [];
    const pending: Promise<void>[] = [];
    const serverCpu0 = cpuSeconds(pids);
    const balancer = () => (bench.balancerPid === null ? [] : [bench.balancerPid]);
    const balancerCpu0 = cpuSeconds(balancer);
    const dbCpu0 = dialect === 'postgres' ? cpuSeconds(postgresPids) : 0;
    const generatorCpu0 = process.cpuUsage();
    // If the generator's own loop lags, its latencies overstate the server's: report it too.
    const generatorLoop = monitorEventLoopDelay({ resolution: 10 });
    generatorLoop.enable();
    const started = performance.now();
    let peakRss = 0;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, rss())), 1000);
    for (const sim of sims) {
      const beat = () =>
        pending.push(
          timed(tally, () =>
            post(CLIENT_ROUTES.heartbeat, hashes.heartbeat, sim.token, {
              journalId: sim.journalId,
              headSeq: sim.records.length,
              status: 'in-progress',
            }),
          ),
        );
      // As the client's outbox does: one upload at a time. What is written while one is on
      // its way (a slow server) goes with the next, and a failed upload is sent again.
      const waiting = (sim.waiting ??= []);
      let uploading = false;
      const write = (entry: Pick<NewEntry, 'kind' | 'payload'>) => {
        const record = chainRecord(sim.records.at(-1) ?? null, {
          ...entry,
          at: Date.now(),
          mono: Math.round(performance.now()),
        });
        sim.records.push(record);
        waiting.push(record);
      };
      const batch = () => {
        // The nonce of the last acknowledgement, journaled once, first.
        if (sim.nonce) write({ kind: 'sync.nonce', payload: { nonce: sim.nonce } });
        sim.nonce = undefined;
        for (let i = 0; i < 3; i += 1) {
          write({
            kind: 'answer.saved',
            payload: {
              questionId: 'q2',
              value: { type: 'short-text', text: `answer ${sim.records.length}` },
            },
          });
        }
        if (uploading) return;
        uploading = true;
        const fresh = waiting.splice(0);
        pending.push(
          timed(
            tally,
            async () => {
              let stored = false;
              try {
                const answer = await post(CLIENT_ROUTES.records, hashes.records, sim.token, {
                  journalId: sim.journalId,
                  records: fresh,
                });
                stored = answer.status === 200;
                return answer;
              } finally {
                if (!stored) waiting.unshift(...fresh);
                uploading = false;
              }
            },
            (body) => (sim.nonce = (JSON.parse(body) as Ack).nonce),
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
    clearInterval(sampler);
    const seconds = (performance.now() - started) / 1000;
    const { latencies, errors } = tally;
    const p99 = quantile(latencies, 0.99);
    const errorCount = [...errors.values()].reduce((sum, n) => sum + n, 0);
    const serverCpu = ((cpuSeconds(pids) - serverCpu0) / seconds) * 100;
    const generatorCpu = process.cpuUsage(generatorCpu0);
    const label = `${dialect}${PROCESSES > 1 ? `-${PROCESSES}-processes` : ''}-${target}-candidates`;
    report('load', `${label}-requests-per-second`, latencies.length / seconds, 'req/s');
    report('load', `${label}-p50`, quantile(latencies, 0.5), 'ms');
    report('load', `${label}-p99`, p99, 'ms');
    report('load', `${label}-errors`, errorCount, 'requests');
    if (tally.firstError) {
      const byStatus = [...errors].map(([status, n]) => `${status || 'network'}: ${n}`);
      console.error(`${label}: errors ${byStatus.join(', ')}; first: ${tally.firstError}`);
    }
    report('load', `${label}-server-cpu`, serverCpu, '% of one core');
    report('load', `${label}-server-cpu-per-1000`, (serverCpu / target) * 1000, '% of one core');
    report('load', `${label}-server-rss`, peakRss / 2 ** 20, 'MiB');
    report('load', `${label}-memory-per-candidate`, (peakRss - idleRss) / target / 1024, 'KiB');
    report(
      'load',
      `${label}-generator-cpu`,
      ((generatorCpu.user + generatorCpu.system) / 1e6 / seconds) * 100,
      '% of one core',
    );
    generatorLoop.disable();
    report('load', `${label}-generator-loop-delay-p99`, generatorLoop.percentile(99) / 1e6, 'ms');
    if (bench.balancerPid !== null)
      report(
        'load',
        `${label}-balancer-cpu`,
        ((cpuSeconds(balancer) - balancerCpu0) / seconds) * 100,
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
    if (p99 > 100 || errorCount > 0) break;
    best = target;
  }
  report(
    'load',
    `${dialect}${PROCESSES > 1 ? `-${PROCESSES}-processes` : ''}-max-candidates-p99-under-100ms`,
    best,
    'candidates',
  );
  for (const controller of streams) controller.abort();
  await pool.close();
  await bench.stop();
  await db.cleanup();
}
