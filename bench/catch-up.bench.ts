import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Agent } from 'node:http';
import { performance } from 'node:perf_hooks';

import { ServerApi } from '../src/main/sync/server-api';
import { insertCandidate } from '../src/server/repositories/candidates';
import {
  drained,
  listeningServer,
  testClient,
  until,
  type ListeningServer,
} from '../test/support/client-session';
import { FaultProxy } from '../test/support/fault-proxy';

import { quantile, report } from './report';

/**
 * Catching up after a network loss, with production timings (the policy's heartbeat, the
 * outbox's own backoff, axios's 15 s timeout): a backlog of under 100 records written while
 * offline for 2–12 s; how long after the network returns is it all on the server? Goal: p90
 * under 2 s. Three kinds of outage, each with and without keep-alive connections:
 *
 * - refused: connections are refused at once (the server's host is up, its port is not);
 * - silent: the proxy accepts connections and never answers, and open ones stop carrying
 *   anything for good (an emulated dead network: only timeouts tell);
 * - dropped: the kernel drops every packet to and from the proxy's port (iptables, as root),
 *   so connects hang in SYN retransmission and come through when the network returns — the
 *   outside chaos run's slow case. Skipped, saying so, without root and iptables.
 */
const OUTAGES_S = [2, 3.5, 5, 6.5, 8, 9.5, 11, 12];

type Outage = 'refused' | 'silent' | 'dropped';

async function catchUp(server: ListeningServer): Promise<void> {
  const only = process.env.CATCH_UP_ONLY?.split(',');
  const outages = (['refused', 'silent', 'dropped'] as const).filter(
    (outage) => only?.includes(outage) ?? true,
  );
  if (outages.includes('dropped') && !canDropPackets()) {
    outages.splice(outages.indexOf('dropped'), 1);
    console.error('catch-up: "dropped" skipped (needs root and iptables)');
  }
  const trials = Number(process.env.CATCH_UP_TRIALS ?? OUTAGES_S.length);
  let candidate = 4000;
  for (const outage of outages) {
    for (const keepAlive of [true, false]) {
      candidate += 1;
      const samples = await trialsOf(server, outage, keepAlive, String(candidate), trials);
      const label = `catch-up (${outage}, ${keepAlive ? 'keep-alive' : 'no keep-alive'})`;
      report('drain', `${label} p50`, quantile(samples, 0.5), 's');
      report('drain', `${label} p90`, quantile(samples, 0.9), 's');
      report('drain', `${label} max`, Math.max(...samples), 's');
    }
  }
}

async function trialsOf(
  server: ListeningServer,
  outage: Outage,
  keepAlive: boolean,
  candidateNumber: string,
  trials: number,
): Promise<number[]> {
  await insertCandidate(server.db.storage.db, server.exam.id, {
    candidateNumber,
    name: 'Catch-up',
    personalCode: 'catch-up-code',
  });
  const proxy = await FaultProxy.start(server.port);
  const port = Number(new URL(proxy.url).port);
  // Production timing: axios's own timeout, the policy's heartbeat, the outbox's backoff.
  const api = new ServerApi({
    baseUrl: proxy.url,
    publicUrl: server.publicUrl,
    httpAgent: new Agent({ keepAlive }),
  });
  const client = await testClient(server, proxy.url, {
    api,
    tuning: { heartbeatIntervalMs: undefined, baseDelayMs: undefined, maxDelayMs: undefined },
  });
  const { session } = client;
  const samples: number[] = [];
  try {
    await session.signIn({ examCode: 'TEST-1', candidateNumber, personalCode: 'catch-up-code' });
    await session.startExam();
    await until(() => drained(session), 'the first upload', 60_000);
    for (let trial = 0; trial < trials; trial += 1) {
      const offlineMs = OUTAGES_S[trial % OUTAGES_S.length]! * 1000;
      const backlog = 20 + ((trial * 7) % 70);
      const cut = networkCut(outage, proxy, port);
      cut.start();
      const started = performance.now();
      for (let i = 0; i < backlog; i += 1) {
        await session.record('focus.regained', { durationMs: i });
        await new Promise((resolve) => setTimeout(resolve, offlineMs / backlog));
      }
      await new Promise((resolve) =>
        setTimeout(resolve, Math.max(0, offlineMs - (performance.now() - started))),
      );
      cut.end();
      const back = performance.now();
      await until(() => drained(session), 'the catch-up', 120_000);
      samples.push((performance.now() - back) / 1000);
      console.error(
        `catch-up ${outage} keep-alive ${keepAlive}: ${offlineMs / 1000} s offline, back in ${samples.at(-1)!.toFixed(2)} s`,
      );
    }
  } finally {
    await client.cleanup();
    await proxy.close();
  }
  return samples;
}

function networkCut(outage: Outage, proxy: FaultProxy, port: number) {
  switch (outage) {
    case 'refused':
      return { start: () => proxy.goOffline(), end: () => (proxy.offline = false) };
    case 'silent':
      return { start: () => proxy.goSilent(), end: () => (proxy.blackhole = false) };
    case 'dropped':
      return { start: () => dropPackets(port, '-I'), end: () => dropPackets(port, '-D') };
  }
}

function canDropPackets(): boolean {
  if (process.getuid?.() !== 0 || !existsSync('/usr/sbin/iptables')) return false;
  try {
    execFileSync('/usr/sbin/iptables', ['-L', 'INPUT', '-n'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const dropped = new Set<number>();
process.on('exit', () => {
  for (const port of dropped) dropPackets(port, '-D');
});

/** Adds (-I) or removes (-D) rules dropping every loopback packet to and from `port`. */
function dropPackets(port: number, action: '-I' | '-D'): void {
  for (const side of ['--dport', '--sport']) {
    execFileSync('/usr/sbin/iptables', [
      action,
      'INPUT',
      '-i',
      'lo',
      '-p',
      'tcp',
      side,
      String(port),
      '-j',
      'DROP',
    ]);
  }
  if (action === '-I') dropped.add(port);
  else dropped.delete(port);
}

// Catching up after short outages does not depend on the database: SQLite only.
const server = await listeningServer('sqlite');
try {
  await catchUp(server);
} finally {
  await server.stop();
}
