import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

import { nodeFs } from '../src/main/fs-port';
import { Journal } from '../src/main/journal/journal';

import { quantile, report } from './report';

/**
 * The journal on this machine's disk: durable append latency one at a time (each append its
 * own fsync, as a candidate typing produces them), appends/s when many arrive together (shared
 * fsyncs), and reopening a journal of 100,000 records with and without an anchor near its end.
 */
const dir = await mkdtemp(join(tmpdir(), 'vakt-bench-journal-'));
const key = randomBytes(32);
const journalId = randomUUID();
const clock = { now: Date.now, mono: () => performance.now() };
const answer = (n: number) => ({
  questionId: `q${n % 20}`,
  value: { type: 'long-text' as const, text: 'lorem ipsum '.repeat(20 + (n % 40)) },
});

try {
  const { journal } = await Journal.open({ fs: nodeFs, dir, journalId, key, clock });
  const latencies: number[] = [];
  for (let n = 0; n < 2_000; n += 1) {
    const started = performance.now();
    await journal.append(journal.entry('answer.saved', answer(n)));
    latencies.push(performance.now() - started);
  }
  report('journal', 'durable-append-p50', quantile(latencies, 0.5), 'ms');
  report('journal', 'durable-append-p99', quantile(latencies, 0.99), 'ms');
  report(
    'journal',
    'sequential-appends-per-second',
    1000 / (latencies.reduce((a, b) => a + b, 0) / latencies.length),
    'appends/s',
  );

  const started = performance.now();
  let done = 2_000;
  while (done < 100_000) {
    const batch = Array.from({ length: 500 }, (_, i) =>
      journal.append(journal.entry('answer.saved', answer(done + i))),
    );
    await Promise.all(batch);
    done += batch.length;
  }
  report(
    'journal',
    'grouped-appends-per-second',
    98_000 / ((performance.now() - started) / 1000),
    'appends/s',
  );
  await journal.close();

  let opened = performance.now();
  const { journal: full } = await Journal.open({ fs: nodeFs, dir, journalId, key, clock });
  report('journal', 'reopen-100k-records-no-anchor', performance.now() - opened, 'ms');
  const last = full.recordsAfter(99_000).at(-1)!;
  await full.anchor(last.seq, last.hash);
  await full.close();
  opened = performance.now();
  const { journal: anchored } = await Journal.open({ fs: nodeFs, dir, journalId, key, clock });
  report('journal', 'reopen-100k-records-anchored-at-head', performance.now() - opened, 'ms');
  await anchored.close();
} finally {
  await rm(dir, { recursive: true, force: true });
}
