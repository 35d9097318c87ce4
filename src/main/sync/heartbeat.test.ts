import { describe, expect, it } from 'vitest';

import { ManualTimers } from '../../../test/support/manual-timers';
import type { HeartbeatResponse } from '../../common/api';

import { Heartbeat, type HeartbeatOptions } from './heartbeat';
import { Link } from './link';
import type { ApiOutcome } from './server-api';

const reply: HeartbeatResponse = {
  watermark: 0,
  journalState: 'active',
  needsAnswers: false,
  replacedAfter: null,
  serverTime: 5_000,
  instructions: [],
};

function heartbeatWith(
  send: () => Promise<ApiOutcome<HeartbeatResponse>>,
  timers: ManualTimers,
  link: Link,
  more: Partial<HeartbeatOptions> = {},
): Heartbeat {
  return new Heartbeat({
    send,
    link,
    timers,
    intervalMs: 10_000,
    request: () => ({
      journalId: '0b6f3b7e-2f6a-4c47-9a8e-6f1f8f5b2a10',
      headSeq: 0,
      status: 'preflight',
    }),
    onReply: () => Promise.resolve(),
    onChange: () => undefined,
    ...more,
  });
}

/** Runs due timers until the heartbeat has sent `count` beats. */
async function beats(timers: ManualTimers, sent: () => number, count: number): Promise<void> {
  for (let guard = 0; sent() < count && guard < 100; guard += 1) {
    timers.runAll();
    for (let i = 0; i < 10; i += 1) await Promise.resolve();
  }
}

describe('heartbeat', () => {
  it('beats at its interval online, probes every second while the network is down', async () => {
    const timers = new ManualTimers();
    const link = new Link(() => undefined, 1);
    const outcomes: ApiOutcome<HeartbeatResponse>[] = [
      { kind: 'ok', value: reply, sentAt: 0, receivedAt: 0 },
      { kind: 'unreachable', message: 'down' },
      { kind: 'unreachable', message: 'down' },
      { kind: 'ok', value: reply, sentAt: 0, receivedAt: 0 },
    ];
    let sent = 0;
    const heartbeat = heartbeatWith(() => Promise.resolve(outcomes[sent++]!), timers, link);
    heartbeat.start();
    await beats(timers, () => sent, 4);
    expect(sent).toBe(4);
    for (let i = 0; i < 10; i += 1) await Promise.resolve();
    // At once; 10 s after the good beat; 1 s probes while down; 10 s again once back.
    expect(timers.delays).toEqual([0, 10_000, 1_000, 1_000, 10_000]);
    await heartbeat.stop();
  });

  it('probes within a second when an upload finds the network down between beats', async () => {
    const timers = new ManualTimers();
    const link = new Link(() => undefined, 1);
    let sent = 0;
    const ok: ApiOutcome<HeartbeatResponse> = {
      kind: 'ok',
      value: reply,
      sentAt: 0,
      receivedAt: 0,
    };
    const heartbeat = heartbeatWith(
      () => {
        sent += 1;
        return Promise.resolve(ok);
      },
      timers,
      link,
    );
    heartbeat.start();
    await beats(timers, () => sent, 1);
    for (let i = 0; i < 10; i += 1) await Promise.resolve();
    expect(timers.delays).toEqual([0, 10_000]);
    heartbeat.nudge(); // online: nothing changes
    link.failed(timers.now()); // an upload failed
    heartbeat.nudge();
    expect(timers.delays).toEqual([0, 10_000, 1_000]);
    await heartbeat.stop();
  });

  it('logs a reply it could not apply instead of swallowing it, and beats on', async () => {
    const timers = new ManualTimers();
    const warnings: string[] = [];
    let sent = 0;
    const ok: ApiOutcome<HeartbeatResponse> = {
      kind: 'ok',
      value: reply,
      sentAt: 0,
      receivedAt: 0,
    };
    const heartbeat = heartbeatWith(
      () => {
        sent += 1;
        return Promise.resolve(ok);
      },
      timers,
      new Link(() => undefined, 1),
      {
        onReply: () => Promise.reject(new Error('the disk is full')),
        logger: { warn: (message, error) => warnings.push(`${message}: ${String(error)}`) },
      },
    );
    heartbeat.start();
    await beats(timers, () => sent, 2);
    expect(sent).toBe(2);
    expect(warnings[0]).toBe('applying a heartbeat reply: Error: the disk is full');
    await heartbeat.stop();
  });
});
