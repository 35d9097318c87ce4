import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, copyFile, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

import psList from 'ps-list';

import { examPolicySchema } from '../src/common/policy';
import { ProgramClassifier, linuxNames } from '../src/main/monitor/catalogue';
import { builtInCatalogue } from '../src/main/monitor/catalogue-data';
import { ExecutableFingerprints } from '../src/main/monitor/fingerprints';
import { ProcessMonitor } from '../src/main/monitor/process-monitor';
import { ProcSource, PsListSource, type ProcessSource } from '../src/main/monitor/process-source';
import { systemTimers } from '../src/main/timers';

import { quantile, report } from './report';

/**
 * The process monitor at 100, 300 and 1,000 running processes (topped up with `sleep`): one
 * listing with ps-list and with the /proc source side by side; detection latency of a newly
 * started prohibited program at the default 1 s poll (p50/p95, goal p95 ≤ 1 s); CPU the monitor
 * uses per minute of exam, as % of one core (children such as `ps` included).
 */
const LEVELS = [100, 300, 1_000];
const TRIALS = 20;
const CPU_SECONDS = 10;
const dir = await mkdtemp(join(tmpdir(), 'vakt-bench-monitor-'));
const sleeper = join(dir, 'sleep');
const prohibited = join(dir, 'AnyDesk');
await copyFile('/usr/bin/sleep', sleeper);
await copyFile('/usr/bin/sleep', prohibited);
await chmod(prohibited, 0o755);
const background: ChildProcess[] = [];
const classifier = new ProgramClassifier(
  builtInCatalogue(),
  examPolicySchema.parse({ processes: { categoryActions: { 'remote-access': 'flag' } } }).processes,
  'linux',
);
const sources: ProcessSource[] = [
  new ProcSource(),
  new ProcSource('/proc', new ExecutableFingerprints(linuxNames(builtInCatalogue()))),
  new PsListSource(psList),
];

const running = async () => (await readdir('/proc')).filter((entry) => /^\d+$/.test(entry)).length;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** This process's CPU time and its reaped children's, in seconds (/proc/self/stat). */
async function cpuSeconds(): Promise<number> {
  const stat = await readFile('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime, stime, cutime, cstime are fields 14–17; after the comm they start at index 11.
  const ticks = fields.slice(11, 15).reduce((sum, value) => sum + Number(value), 0);
  return ticks / 100;
}

try {
  for (const level of LEVELS) {
    while ((await running()) < level) {
      background.push(spawn(sleeper, ['3600'], { stdio: 'ignore' }));
      if (background.length % 100 === 0) await sleep(50);
    }
    const label = `${await running()} processes`;

    for (const source of sources) {
      const times: number[] = [];
      for (let i = 0; i < 20; i += 1) {
        const started = performance.now();
        await source.list();
        times.push(performance.now() - started);
      }
      report('monitor', `${label}: ${source.label} list p50`, quantile(times, 0.5), 'ms');
    }

    const latencies: number[] = [];
    let spawnedAt = 0;
    let detected: (() => void) | null = null;
    const monitor = new ProcessMonitor({
      source: sources[0]!,
      classifier,
      timers: systemTimers,
      intervalMs: 1_000,
      emit: (event) => {
        if (event.kind === 'process.started' && detected) {
          latencies.push(performance.now() - spawnedAt);
          detected();
        }
      },
    });
    monitor.start();
    for (let trial = 0; trial < TRIALS; trial += 1) {
      // Start at a random moment of the poll cycle, as a candidate would.
      await sleep(200 + Math.random() * 1_000);
      const found = new Promise<void>((resolve) => (detected = resolve));
      spawnedAt = performance.now();
      const child = spawn(prohibited, ['3600'], { stdio: 'ignore' });
      await found;
      detected = null;
      child.kill('SIGKILL');
      await sleep(1_100); // let the monitor see it stop
    }
    await monitor.stop();
    report('monitor', `${label}: detection p50 (1 s poll, /proc)`, quantile(latencies, 0.5), 'ms');
    report('monitor', `${label}: detection p95 (1 s poll, /proc)`, quantile(latencies, 0.95), 'ms');

    for (const source of sources) {
      const cpuMonitor = new ProcessMonitor({
        source,
        classifier,
        timers: systemTimers,
        intervalMs: 1_000,
        emit: () => undefined,
      });
      const before = await cpuSeconds();
      const started = performance.now();
      cpuMonitor.start();
      await sleep(CPU_SECONDS * 1_000);
      await cpuMonitor.stop();
      const used = (await cpuSeconds()) - before;
      const share = (used / ((performance.now() - started) / 1_000)) * 100;
      report('monitor', `${label}: CPU with ${source.label} (1 s poll)`, share, '% of one core');
      report(
        'monitor',
        `${label}: CPU with ${source.label} per exam minute`,
        share * 0.6,
        'core-s/min',
      );
    }
  }
} finally {
  for (const child of background) child.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
}
