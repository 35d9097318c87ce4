import { randomBytes, randomUUID } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { CrashFs } from '../../../test/support/crash-fs';
import { ManualTimers } from '../../../test/support/manual-timers';
import type { Ack, UploadRequest } from '../../common/api';
import type { JournalRecord } from '../../common/journal-record';
import { problem } from '../../common/problems';
import type { Refusal } from '../../common/refusals';
import type { Logger } from '../logger';
import { SessionWriter } from '../session/session-writer';

import { Link } from './link';
import { Outbox, type OutboxEvent, type OutboxOptions } from './outbox';
import type { ApiOutcome } from './server-api';

type Reply = ApiOutcome<Ack> | 'store';

const silentLogger: Logger = { warn: () => undefined };

/**
 * A scripted server at the edge: each upload takes the next reply; 'store' behaves as the real
 * server does for a good batch (stores, acknowledges with a nonce).
 */
async function setup(
  replies: Reply[],
  options: Partial<OutboxOptions> = {},
  /** Each reply waits for it: the upload is in flight until then. */
  gate: Promise<void> = Promise.resolve(),
) {
  const timers = new ManualTimers();
  // The outbox's owner as in the app: the session writer appends, anchors and journals nonces.
  // It does not kick the outbox on each record here, so batches are what the test adds.
  const writer = await SessionWriter.open(
    {
      fs: new CrashFs(),
      dir: '/j',
      journalId: randomUUID(),
      key: randomBytes(32),
      clock: { now: () => timers.time, mono: () => 0 },
    },
    { timers, logger: silentLogger, onChange: () => undefined },
  );
  const journal = writer.journal;
  const events: OutboxEvent[] = [];
  const stored: JournalRecord[] = [];
  const requests: UploadRequest[] = [];
  const transitions: string[] = [];
  const link = new Link((transition) => transitions.push(transition.kind));
  const abortable: boolean[] = [];
  const upload = async (
    request: UploadRequest,
    options: { abortable: boolean },
  ): Promise<ApiOutcome<Ack>> => {
    requests.push(request);
    abortable.push(options.abortable);
    await gate;
    const reply = replies.shift() ?? 'store';
    if (reply !== 'store') return Promise.resolve(reply);
    const expectedSeq = stored.length + 1;
    if (request.records[0]!.seq > expectedSeq)
      return Promise.resolve(refused({ code: 'gap', expectedSeq, message: 'gap' }));
    for (const record of request.records) if (record.seq === stored.length + 1) stored.push(record);
    const head = stored.at(-1)!;
    return Promise.resolve({
      kind: 'ok',
      sentAt: timers.time,
      receivedAt: timers.time,
      value: {
        watermark: head.seq,
        headHash: head.hash,
        nonce: randomBytes(16).toString('hex'),
        serverTime: timers.time + 5_000,
      },
    });
  };
  let renewals = 0;
  const outbox = new Outbox({
    journal,
    upload,
    link,
    journalId: randomUUID(),
    timers,
    watermark: 0,
    renewToken: () => Promise.resolve(++renewals === 1),
    onEvent: async (event) => {
      events.push(event);
      if (event.kind === 'acknowledged') await writer.acknowledged(event);
    },
    random: () => 0.5,
    ...options,
  });
  const add = async (n: number) => {
    for (let i = 0; i < n; i += 1) await writer.write('focus.regained', { durationMs: i });
  };
  const drain = async () => {
    outbox.kick();
    await outbox.settled();
  };
  return {
    journal,
    outbox,
    events,
    link,
    timers,
    stored,
    requests,
    abortable,
    transitions,
    add,
    drain,
  };
}

const refused = (refusal: Refusal): ApiOutcome<Ack> => ({ kind: 'refused', refusal });
const unreachable: ApiOutcome<Ack> = { kind: 'unreachable', message: 'reset' };

describe('outbox', () => {
  it('sends in order, in bounded batches, anchors each ack and journals its nonce', async () => {
    const t = await setup([], { maxRecords: 4 });
    await t.add(10);
    await t.drain();
    expect(t.requests.map((r) => r.records.map((record) => record.seq))).toEqual([
      [1, 2, 3, 4],
      [5, 6, 7, 8],
      [9, 10, 11, 12],
      [13],
    ]);
    // Each batch carrying answers or events had its nonce journaled by the writer before the
    // next batch (11, 12, 13); the last held only a nonce, and its own nonce was not, or
    // uploads would never end.
    expect(t.journal.recordsAfter(10).map((record) => record.kind)).toEqual([
      'sync.nonce',
      'sync.nonce',
      'sync.nonce',
    ]);
    expect(t.outbox.unsynced).toBe(0);
    expect(t.journal.anchoredSeq).toBe(13);
    expect(t.link.clockOffsetMs).toBe(5_000);
  });

  it('closing during an upload still anchors its acknowledgement and journals its nonce', async () => {
    let reply!: () => void;
    const t = await setup([], {}, new Promise((resolve) => (reply = resolve)));
    await t.add(3);
    t.outbox.kick();
    await Promise.resolve();
    expect(t.requests).toHaveLength(1);
    const closing = t.outbox.close();
    reply(); // the server's acknowledgement arrives while Vakt closes
    await closing;
    expect(t.journal.anchoredSeq).toBe(3);
    expect(t.journal.recordsAfter(3).map((record) => record.kind)).toEqual(['sync.nonce']);
    expect(t.requests).toHaveLength(1); // and nothing more is sent after close
  });

  it('resends from the seq the server asks for after a gap', async () => {
    // The client believes the server has 3 records; the server (restored from a backup) has none.
    const t = await setup([], { watermark: 3 });
    await t.add(5);
    await t.drain();
    expect(t.requests.map((r) => r.records.map((record) => record.seq)).slice(0, 2)).toEqual([
      [4, 5],
      [1, 2, 3, 4, 5],
    ]);
    expect(t.stored.map((record) => record.seq).slice(0, 5)).toEqual([1, 2, 3, 4, 5]);
    expect(t.outbox.problem).toBeNull();
  });

  it('splits a batch the server finds too large, down to what it takes', async () => {
    const tooLarge = refused({ code: 'too-large', maxRecords: 500, maxBytes: 1, message: 'split' });
    const t = await setup([tooLarge, tooLarge]);
    await t.add(8);
    await t.drain();
    expect(t.requests.map((r) => r.records.length).slice(0, 3)).toEqual([8, 4, 2]);
    expect(t.stored.map((record) => record.seq).slice(0, 8)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(t.outbox.problem).toBeNull();
  });

  it('signs in again once after a token refusal, and stops if that does not help', async () => {
    const token = refused({ code: 'token', message: 'expired' });
    const t = await setup([token, token, token]);
    await t.add(1);
    await t.drain();
    expect(t.requests).toHaveLength(2);
    expect(t.outbox.problem?.code).toBe('token');
    t.outbox.kick();
    await t.outbox.settled();
    expect(t.requests).toHaveLength(2);
  });

  it.each([
    ['fork', refused({ code: 'fork', seq: 1, message: 'fork' }), problem('fork', { seq: 1 })],
    ['chain', refused({ code: 'chain', seq: 1, message: 'chain' }), problem('chain', { seq: 1 })],
    ['nonce', refused({ code: 'nonce', message: 'nonce' }), problem('nonce')],
    ['config-key', refused({ code: 'config-key', message: 'config' }), problem('config-key')],
    [
      'client-too-old',
      refused({ code: 'client-too-old', minimumVersion: '9.0.0', message: 'old' }),
      problem('client-too-old', { minimumVersion: '9.0.0' }),
    ],
    [
      'a 400',
      { kind: 'rejected', status: 400, code: 'invalid-request', message: 'bad' } as const,
      problem('upload-rejected', { serverCode: 'invalid-request' }),
    ],
  ])(
    'stops for good on %s with a code the UI words, and answering goes on',
    async (_name, reply, expected) => {
      const t = await setup([reply]);
      await t.add(2);
      await t.drain();
      t.outbox.kick();
      t.timers.runAll();
      await t.outbox.settled();
      expect(t.requests).toHaveLength(1);
      expect(t.outbox.problem).toEqual(expected);
      expect(t.events.filter((event) => event.kind === 'stopped')).toEqual([
        { kind: 'stopped', problem: expected },
      ]);
      await t.add(1);
      expect(t.outbox.unsynced).toBe(3);
    },
  );

  it('backs off with full jitter while unreachable, goes offline after three failures, and catches up', async () => {
    const t = await setup([unreachable, unreachable, unreachable, unreachable], {
      baseDelayMs: 100,
      maxDelayMs: 1_000,
    });
    await t.add(3);
    await t.drain();
    expect(t.link.connectivity).toBe('degraded');
    for (let i = 0; i < 3; i += 1) {
      t.timers.runAll();
      await t.outbox.settled();
    }
    expect(t.link.connectivity).toBe('offline');
    expect(t.transitions).toEqual(['offline']);
    // random() = 0.5: half of 100·2^attempt, capped at 1,000 (and each upload's 2 s slow timer).
    expect(t.timers.delays.filter((delay) => delay < 2_000)).toEqual([50, 100, 200, 400]);
    t.timers.runAll();
    await t.outbox.settled();
    expect(t.link.connectivity).toBe('online');
    expect(t.transitions).toEqual(['offline', 'online']);
    expect(t.stored.map((record) => record.seq).slice(0, 3)).toEqual([1, 2, 3]);
  });

  it('sends again at once, not after a backoff, what was given up when the network came back', async () => {
    // Request 1, given up when a heartbeat (request 2) was answered after the link was down.
    const givenUp: ApiOutcome<Ack> = {
      kind: 'unreachable',
      message: 'given up',
      order: 1,
      aborted: true,
    };
    const t = await setup([givenUp], { baseDelayMs: 10_000 });
    t.link.replied(900, 950, 950, 2);
    await t.add(2);
    await t.drain();
    expect(t.requests.slice(0, 2).map((r) => r.records.map((record) => record.seq))).toEqual([
      [1, 2],
      [1, 2],
    ]);
    expect(t.link.connectivity).toBe('online');
    expect(t.timers.delays.filter((delay) => delay < 2_000)).toEqual([]);
    // The batch sent again is not given up a second time (a merely slow one would loop).
    expect(t.abortable.slice(0, 3)).toEqual([true, false, true]);
  });

  it('backs off after a timeout, even one older than an answered heartbeat (server busy)', async () => {
    // The server answers heartbeats but not this upload: not given up, it timed out.
    const timedOut: ApiOutcome<Ack> = { kind: 'unreachable', message: 'timed out', order: 1 };
    const t = await setup([timedOut], { baseDelayMs: 100 });
    t.link.replied(900, 950, 950, 2);
    await t.add(1);
    await t.drain();
    expect(t.requests).toHaveLength(1);
    expect(t.timers.delays.filter((delay) => delay < 2_000)).toEqual([50]);
  });

  it('asks for a probe when an upload has no answer after 2 s', async () => {
    let answer!: () => void;
    let slow = 0;
    const t = await setup([], { onSlow: () => (slow += 1) }, new Promise((r) => (answer = r)));
    await t.add(1);
    t.outbox.kick();
    await Promise.resolve();
    expect(t.timers.delays).toEqual([2_000]);
    t.timers.runAll();
    expect(slow).toBe(1);
    answer();
    await t.outbox.settled();
    expect(t.timers.pending()).toBe(0); // each upload's timer is cleared once answered
  });

  it('stops when the server acknowledges a hash this journal does not have', async () => {
    const t = await setup([
      {
        kind: 'ok',
        sentAt: 0,
        receivedAt: 0,
        value: { watermark: 1, headHash: 'f'.repeat(64), nonce: 'a'.repeat(32), serverTime: 0 },
      },
    ]);
    await t.add(2);
    await t.drain();
    expect(t.outbox.problem?.code).toBe('journal');
    expect(t.outbox.watermark).toBe(0);
  });

  it('stops with a problem, not a crash or a loop, when something unexpected throws', async () => {
    const t = await setup([], { upload: () => Promise.reject(new Error('boom')) });
    await t.add(1);
    await t.drain();
    expect(t.outbox.problem).toEqual(problem('internal'));
    t.outbox.kick();
    await t.outbox.settled();
    expect(t.outbox.unsynced).toBe(1);
  });

  it('waits while the device awaits approval, and sends once approved', async () => {
    const t = await setup([
      { kind: 'rejected', status: 409, code: 'awaiting-approval', message: 'wait' },
    ]);
    await t.add(2);
    await t.drain();
    expect(t.outbox.waitingForApproval).toBe(true);
    expect(t.events).toEqual([{ kind: 'held' }]);
    expect(t.outbox.problem).toBeNull();
    t.outbox.approved();
    await t.outbox.settled();
    expect(t.stored.map((record) => record.seq).slice(0, 2)).toEqual([1, 2]);
  });
});
