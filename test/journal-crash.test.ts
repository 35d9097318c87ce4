import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { nodeFs } from '../src/main/fs-port';
import { Journal } from '../src/main/journal/journal';

/**
 * Crash safety with real processes: a child appending answers is killed with SIGKILL at a
 * random moment, 200 times (four journals, fifty kills each). After every kill the journal
 * reopens with its chain intact and holds every append the child had seen resolve.
 */
const root = new URL('..', import.meta.url).pathname;
const LANES = 4;
const KILLS_PER_LANE = 50;

function runAndKill(
  writer: string,
  dir: string,
  keyHex: string,
  journalId: string,
): Promise<Map<number, string>> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [writer, dir, keyHex, journalId], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const acked = new Map<number, string>();
    let buffer = '';
    let timer: NodeJS.Timeout | null = null;
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      for (const line of lines) {
        const [seq, hash] = line.split(' ');
        acked.set(Number(seq), hash!);
      }
      // Once it is writing, kill it somewhere in the next 0–60 ms.
      timer ??= setTimeout(() => child.kill('SIGKILL'), Math.random() * 60);
    });
    child.on('exit', () => resolve(acked));
  });
}

describe('journal crash safety (SIGKILL)', () => {
  const dirs: string[] = [];
  let writer: string;

  beforeAll(async () => {
    // Bundled once, so each of the 200 children starts in milliseconds rather than compiling.
    const out = await mkdtemp(join(tmpdir(), 'vakt-writer-'));
    dirs.push(out);
    writer = join(out, 'journal-writer.mjs');
    await build({
      entryPoints: [join(root, 'test/support/journal-writer.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node22',
      outfile: writer,
      logLevel: 'error',
    });
  });

  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it(`keeps every resolved append through ${LANES * KILLS_PER_LANE} kills`, async () => {
    const started = performance.now();
    const lanes = Array.from({ length: LANES }, async () => {
      const dir = await mkdtemp(join(tmpdir(), 'vakt-crash-'));
      dirs.push(dir);
      const key = randomBytes(32);
      const journalId = randomUUID();
      let torn = 0;
      for (let kill = 0; kill < KILLS_PER_LANE; kill += 1) {
        const acked = await runAndKill(writer, dir, key.toString('hex'), journalId);
        const { journal, report } = await Journal.open({
          fs: nodeFs,
          dir,
          journalId,
          key,
          clock: { now: Date.now, mono: () => 0 },
        });
        expect(report.altered).toBeNull();
        if (report.tornBytes !== null) torn += 1;
        const stored = new Map(journal.recordsAfter(0).map((record) => [record.seq, record.hash]));
        for (const [seq, hash] of acked)
          expect({ seq, hash: stored.get(seq) }).toEqual({ seq, hash });
        await journal.close();
      }
      return torn;
    });
    const torn = (await Promise.all(lanes)).reduce((a, b) => a + b, 0);
    console.log(
      `crash test: ${LANES * KILLS_PER_LANE} kills, ${torn} left a torn last line, ${Math.round(performance.now() - started)} ms`,
    );
  }, 600_000);
});
