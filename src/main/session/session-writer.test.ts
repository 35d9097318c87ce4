import { randomBytes, randomUUID } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { CrashFs } from '../../../test/support/crash-fs';
import { ManualTimers } from '../../../test/support/manual-timers';
import { answersHash } from '../../common/api';
import type { JournalRecord } from '../../common/journal-record';
import { JOURNAL_FILE } from '../journal/journal';
import type { Logger } from '../logger';

import { SessionWriter, type WriterChange } from './session-writer';

const text = (value: string) => ({ type: 'short-text' as const, text: value });

async function setup(fs = new CrashFs(), journalId = randomUUID(), key = randomBytes(32)) {
  const timers = new ManualTimers();
  const changes: WriterChange[] = [];
  const warnings: string[] = [];
  const logger: Logger = { warn: (message) => warnings.push(message) };
  const writer = await SessionWriter.open(
    { fs, dir: '/s', journalId, key, clock: { now: () => timers.time, mono: () => 0 } },
    { timers, logger, onChange: (change) => changes.push(change), storageRetryMs: 1_000 },
  );
  const kinds = async () => (await writer.journal.allRecords()).map((record) => record.kind);
  /** Lets microtasks run (appends settle over a few turns). */
  const settle = async () => {
    for (let i = 0; i < 20; i += 1) await Promise.resolve();
  };
  return { fs, timers, writer, changes, warnings, kinds, settle, journalId, key };
}

describe('session writer', () => {
  it('folds each durable record into the state and says so', async () => {
    const { writer, changes } = await setup();
    await writer.write('session.started', { examId: 'e1', clientVersion: '1.0.0' });
    await writer.write('exam.started', { deadline: 10_000 });
    expect(writer.state).toMatchObject({ seq: 2, phase: 'in-progress', deadline: 10_000 });
    expect(changes.map((change) => change.kind === 'folded' && change.phaseBefore)).toEqual([
      'signed-out',
      'preflight',
    ]);
  });

  it('keeps what storage refuses, in order, retries it, and journals the outage once', async () => {
    const { fs, timers, writer, changes, kinds, settle } = await setup();
    await writer.write('exam.started', { deadline: 10_000 });
    fs.failNextAppend = { code: 'ENOSPC', partial: 7 };
    const saved = writer.saveAnswer('q1', text('refused'), false);
    await writer.record('focus.regained', { durationMs: 5 });
    expect(await saved).toBe(false);
    expect(writer.storageFailure).toMatchObject({ errno: 'ENOSPC' });
    expect(writer.unsavedQuestions()).toEqual(['q1']);
    expect(changes.at(-1)).toEqual({ kind: 'storage' });

    timers.time += 1_000;
    timers.runAll();
    await settle();
    expect(writer.storageFailure).toBeNull();
    expect(writer.unsavedQuestions()).toEqual([]);
    expect(writer.state.answers).toEqual({ q1: text('refused') });
    expect(await kinds()).toEqual([
      'exam.started',
      'focus.regained',
      'answer.saved',
      'storage.failed',
    ]);
  });

  it('lets go of a value the journal refuses for what it is (not left "unsaved")', async () => {
    const { writer, timers, settle } = await setup();
    await writer.write('exam.started', { deadline: 10_000 });
    // A lone surrogate cannot be a record: refused as bad-record, never retried.
    await expect(writer.saveAnswer('q1', text('half \ud83e'), true)).rejects.toMatchObject({
      code: 'bad-record',
    });
    expect(writer.unsavedQuestions()).toEqual([]);
    timers.time += 5_000;
    timers.runAll();
    await settle();
    expect(writer.unsavedQuestions()).toEqual([]);
    // The next value for the same question is saved as usual.
    expect(await writer.saveAnswer('q1', text('whole'), true)).toBe(true);
    expect(writer.state.answers).toEqual({ q1: text('whole') });
  });

  it('never journals an event ahead of one storage refused before it', async () => {
    const { fs, timers, writer, kinds, settle } = await setup();
    fs.failNextAppend = { code: 'ENOSPC', partial: 0 };
    await writer.record('sync.nonce', { nonce: 'a'.repeat(32) });
    // Storage has room again, but the refused nonce has not been written yet.
    await writer.record('sync.nonce', { nonce: 'b'.repeat(32) });
    expect(await kinds()).toEqual([]);
    timers.time += 1_000;
    timers.runAll();
    await settle();
    const nonces = (await writer.journal.allRecords()).map(
      (record) => (record.payload as { nonce?: string }).nonce?.[0],
    );
    expect(nonces.slice(0, 2)).toEqual(['a', 'b']);
    expect(await kinds()).toEqual(['sync.nonce', 'sync.nonce', 'storage.failed']);
  });

  it('journals what opening found: a torn last line', async () => {
    const first = await setup();
    await first.writer.write('focus.regained', { durationMs: 1 });
    await first.writer.close();
    const path = `/s/${JOURNAL_FILE}`;
    const bytes = (await first.fs.readFile(path))!;
    await first.fs.writeFileAtomic(path, new Uint8Array([...bytes, 0x41, 0x42]));

    const again = await setup(first.fs, first.journalId, first.key);
    expect(await again.kinds()).toEqual(['focus.regained', 'integrity.torn']);
    expect(again.writer.state.seq).toBe(2);
  });

  it('seals behind a barrier: every answer saved before it is inside the hash', async () => {
    const { writer } = await setup();
    await writer.write('exam.started', { deadline: 10_000 });
    // Coalesced, not yet written: the seal must write it first.
    const typing = writer.saveAnswer('q1', text('last word'), false);
    const sealing = writer.seal();
    expect(writer.closed).toBe(true);
    expect(await writer.lock('policy')).toBe(false); // one barrier at a time
    expect(await sealing).toBe(true);
    expect(await typing).toBe(true);
    expect(writer.closed).toBe(false);
    expect(writer.state.sealed).toEqual({
      answersHash: answersHash({ q1: text('last word') }),
      headSeq: 2,
    });
  });

  it('anchors acknowledgements in order, never backwards, and journals their nonces', async () => {
    const { writer } = await setup();
    const records: JournalRecord[] = [];
    for (let n = 0; n < 3; n += 1)
      records.push(await writer.write('focus.regained', { durationMs: n }));
    const ack = (seq: number) => ({
      watermark: seq,
      headHash: records[seq - 1]!.hash,
      anchorable: true,
    });
    // Both at once, the later one first: the anchor stays at the later one.
    await Promise.all([
      writer.acknowledged({ ...ack(3), nonce: 'a'.repeat(32) }),
      writer.acknowledged({ ...ack(2), nonce: null }),
    ]);
    expect(writer.journal.anchoredSeq).toBe(3);
    expect(writer.journal.recordsAfter(3).map((record) => record.kind)).toEqual(['sync.nonce']);
  });
});
