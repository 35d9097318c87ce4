import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { CrashFs } from '../../../test/support/crash-fs';
import { findChainBreak, type JournalRecord } from '../../common/journal-record';
import { nodeFs, type FsPort } from '../fs-port';

import { Journal, JOURNAL_FILE, JournalRecordError, JournalWriteError } from './journal';

const key = randomBytes(32);
const journalId = randomUUID();
let tick = 0;
const clock = { now: () => 1_800_000_000_000 + tick++, mono: () => tick };

function open(fs: FsPort, dir: string, withKey: Uint8Array = key) {
  return Journal.open({ fs, dir, journalId, key: withKey, clock });
}

const focus = (journal: Journal, n: number) => journal.entry('focus.regained', { durationMs: n });

describe('journal on a modelled disk', () => {
  it('keeps records across reopening, chained and in order', async () => {
    const fs = new CrashFs();
    const { journal } = await open(fs, '/j');
    const written = [
      await journal.append(focus(journal, 1)),
      await journal.append(focus(journal, 2)),
    ];
    await journal.close();
    const { journal: again, report } = await open(fs, '/j');
    expect(report).toEqual({ tornBytes: null, altered: null, snapshotState: null });
    expect(again.recordsAfter(0)).toEqual(written);
    expect(findChainBreak(again.recordsAfter(0))).toBeNull();
  });

  it('does not resolve an append before fsync has returned', async () => {
    const fs = new CrashFs();
    const { journal } = await open(fs, '/j');
    let release!: () => void;
    fs.syncGate = new Promise((resolve) => (release = resolve));
    let resolved = false;
    const appending = journal.append(focus(journal, 1)).then(() => (resolved = true));
    for (let i = 0; i < 20; i += 1) await Promise.resolve();
    expect(resolved).toBe(false);
    release();
    await appending;
    expect(resolved).toBe(true);
  });

  it('refuses a record with a lone surrogate alone, and the next answer is still saved', async () => {
    const fs = new CrashFs();
    const { journal } = await open(fs, '/j');
    const emoji = '🫐';
    const together = [
      journal.append(journal.entry('focus.lost', { app: `Chat ${emoji.slice(0, 1)}` })),
      journal.append(
        journal.entry('answer.saved', {
          questionId: 'q1',
          value: { type: 'short-text', text: 'typed after' },
        }),
      ),
    ];
    await expect(together[0]).rejects.toBeInstanceOf(JournalRecordError);
    await expect(together[0]).rejects.toThrow(/lone UTF-16 surrogate/);
    const answer = await together[1]!;
    expect(answer.seq).toBe(1);
    // And the journal goes on: nothing waits for a flush that never ends.
    expect((await journal.append(focus(journal, 1))).seq).toBe(2);
    await journal.close();
    const { journal: again } = await open(fs, '/j');
    expect(again.recordsAfter(0).map((record) => record.kind)).toEqual([
      'answer.saved',
      'focus.regained',
    ]);
  });

  it('lets appends made together share one fsync', async () => {
    const fs = new CrashFs();
    const { journal } = await open(fs, '/j');
    const before = fs.syncs;
    await Promise.all(Array.from({ length: 50 }, (_, n) => journal.append(focus(journal, n))));
    expect(fs.syncs - before).toBe(1);
    expect(journal.headSeq).toBe(50);
  });

  it('never loses a resolved append to a power cut at any moment', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.nat(6), { minLength: 1, maxLength: 25 }),
        fc.nat(60),
        async (pauses, cutAfter) => {
          const fs = new CrashFs();
          const { journal } = await open(fs, '/j');
          const resolved: JournalRecord[] = [];
          const appends: Promise<unknown>[] = [];
          let cut: CrashFs | null = null;
          let resolvedAtCut: JournalRecord[] = [];
          let turns = 0;
          for (const [index, pause] of pauses.entries()) {
            appends.push(
              journal.append(focus(journal, index)).then((record) => resolved.push(record)),
            );
            for (let i = 0; i < pause; i += 1) {
              await Promise.resolve();
              if (++turns === cutAfter) {
                cut = fs.powerLoss();
                resolvedAtCut = [...resolved];
              }
            }
          }
          await Promise.all(appends);
          const after = cut ?? fs.powerLoss();
          const expected = cut ? resolvedAtCut : resolved;
          const { journal: reopened, report } = await open(after, '/j');
          expect(report.altered).toBeNull();
          const hashes = reopened.recordsAfter(0).map((r) => r.hash);
          for (const record of expected) expect(hashes).toContain(record.hash);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('rolls back a write that failed part way, and the next append continues the chain', async () => {
    const fs = new CrashFs();
    const { journal } = await open(fs, '/j');
    await journal.append(focus(journal, 1));
    fs.failNextAppend = { code: 'ENOSPC', partial: 17 };
    const failed = await journal.append(focus(journal, 2)).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(JournalWriteError);
    expect(failed).toMatchObject({
      code: 'ENOSPC',
      message: expect.stringContaining('disk is full'),
    });
    expect(journal.headSeq).toBe(1);
    const retried = await journal.append(focus(journal, 2));
    expect(retried.seq).toBe(2);
    const { report, journal: again } = await open(fs, '/j');
    expect(report.tornBytes).toBeNull();
    expect(again.headSeq).toBe(2);
  });
});

describe('journal files on disk', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vakt-journal-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  async function threeRecords() {
    const { journal } = await open(nodeFs, dir);
    for (let n = 1; n <= 3; n += 1) await journal.append(focus(journal, n));
    await journal.close();
    return readFile(join(dir, JOURNAL_FILE), 'utf8');
  }

  it('encrypts every line: no payload text on disk', async () => {
    const text = await threeRecords();
    expect(text.split('\n')).toHaveLength(4);
    expect(text).not.toContain('focus');
    expect(text).not.toContain('durationMs');
  });

  it('drops a torn last line and reports it', async () => {
    await threeRecords();
    await writeFile(join(dir, JOURNAL_FILE), 'half-written-line-without-newline', { flag: 'a' });
    const { journal, report } = await open(nodeFs, dir);
    expect(report.tornBytes).toBe(33);
    expect(report.altered).toBeNull();
    expect(journal.recordsAfter(0).map((r) => r.kind)).toEqual([
      'focus.regained',
      'focus.regained',
      'focus.regained',
    ]);
    expect(journal.headSeq).toBe(3);
    await journal.close();
  });

  it('reports an altered line, keeps the damaged file as evidence and continues from the good prefix', async () => {
    const text = await threeRecords();
    const lines = text.split('\n');
    const flipped =
      lines[1]!.slice(0, 20) + (lines[1]![20] === 'A' ? 'B' : 'A') + lines[1]!.slice(21);
    await writeFile(join(dir, JOURNAL_FILE), [lines[0], flipped, lines[2], ''].join('\n'));
    const { journal, report } = await open(nodeFs, dir);
    expect(report.altered).toEqual({ line: 2, reason: 'decrypt' });
    expect(journal.recordsAfter(0).map((r) => [r.seq, r.kind])).toEqual([[1, 'focus.regained']]);
    const evidence = (await readdir(dir)).filter((f) => f.startsWith('journal.altered-'));
    expect(evidence).toHaveLength(1);
    expect(await readFile(join(dir, evidence[0]!), 'utf8')).toContain(flipped);
    await journal.close();
  });

  it('treats a line from another journal or key as altered', async () => {
    await threeRecords();
    const { report } = await open(nodeFs, dir, randomBytes(32));
    expect(report.altered).toEqual({ line: 1, reason: 'decrypt' });
  });

  it('notices deleted last lines through the anchor', async () => {
    const { journal } = await open(nodeFs, dir);
    const records: JournalRecord[] = [];
    for (let n = 1; n <= 3; n += 1) records.push(await journal.append(focus(journal, n)));
    await journal.anchor(3, records[2]!.hash);
    await journal.close();
    const text = await readFile(join(dir, JOURNAL_FILE), 'utf8');
    await truncate(join(dir, JOURNAL_FILE), text.indexOf('\n', text.indexOf('\n') + 1) + 1);
    const { report } = await open(nodeFs, dir);
    expect(report.altered).toEqual({ line: 3, reason: 'truncated' });
  });

  it('reopens from a snapshot with its state, reading only what follows the marks', async () => {
    const { journal } = await open(nodeFs, dir);
    let last!: JournalRecord;
    for (let n = 1; n <= 10; n += 1) last = await journal.append(focus(journal, n));
    await journal.anchor(10, last.hash);
    await journal.snapshot({ answers: { q1: 'b' } });
    await journal.append(focus(journal, 11));
    await journal.close();
    const { journal: again, report } = await open(nodeFs, dir);
    expect(report.snapshotState).toEqual({ answers: { q1: 'b' } });
    expect(again.recordsAfter(10).map((r) => r.seq)).toEqual([11]);
    expect(() => again.recordsAfter(5)).toThrow(/not loaded/);
    expect(again.headSeq).toBe(11);
    await again.close();
  });

  // F7: nothing was ever acknowledged (offline since sign-in), but a snapshot was written.
  it('with a snapshot and no anchor, loads every record for the outbox', async () => {
    const { journal } = await open(nodeFs, dir);
    for (let n = 1; n <= 5; n += 1) await journal.append(focus(journal, n));
    await journal.snapshot({ seq: 5 });
    await journal.close();
    const { journal: again, report } = await open(nodeFs, dir);
    expect(report.snapshotState).toEqual({ seq: 5 });
    expect(again.anchoredSeq).toBe(0);
    expect(again.recordsAfter(0).map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
    await again.close();
  });

  it('with an anchor it cannot place, starts from the first record', async () => {
    const { journal } = await open(nodeFs, dir);
    let last!: JournalRecord;
    for (let n = 1; n <= 4; n += 1) last = await journal.append(focus(journal, n));
    await journal.snapshot({ seq: 4 });
    await journal.anchor(4, last.hash);
    await journal.close();
    await writeFile(
      join(dir, 'anchor.json'),
      JSON.stringify({ seq: 2, hash: last.hash, offset: 7 }),
    );
    const { journal: again } = await open(nodeFs, dir);
    expect(again.anchoredSeq).toBe(0);
    expect(again.recordsAfter(0)).toHaveLength(4);
    await again.close();
  });
});
