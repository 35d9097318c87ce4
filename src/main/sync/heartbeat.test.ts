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
  send: HeartbeatOptions['send'],
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
  /** An answer to request number `order`. */
  const ok = (order = 0): ApiOutcome<HeartbeatResponse> => ({
    kind: 'ok',
    value: reply,
    order,
    sentAt: 0,
    receivedAt: 0,
  });
  /** Lets replies be handled (a few promise turns). */
  const settle = async () => {
    for (let i = 0; i < 20; i += 1) await Promise.resolve();
  };

  it('online, beats once an interval, and skips a beat while the last is unanswered', async () => {
    const timers = new ManualTimers();
    const link = new Link(() => undefined, 1);
    const answers: ((outcome: ApiOutcome<HeartbeatResponse>) => void)[] = [];
    const timeouts: number[] = [];
    const heartbeat = heartbeatWith(
      (_request, options) => {
        timeouts.push(options.timeoutMs);
        return new Promise((resolve) => answers.push(resolve));
      },
      timers,
      link,
    );
    heartbeat.start();
    timers.runAll();
    await settle();
    expect(answers).toHaveLength(1);
    timers.runAll(); // an interval later, the first is still unanswered: no second beat
    await settle();
    expect(answers).toHaveLength(1);
    answers[0]!(ok());
    await settle();
    timers.runAll();
    await settle();
    expect(answers).toHaveLength(2);
    expect(timeouts).toEqual([5_000, 5_000]);
    answers[1]!(ok());
    await heartbeat.stop();
  });

  it('while down, probes every second without waiting for unanswered ones, three at most', async () => {
    const timers = new ManualTimers();
    const link = new Link(() => undefined, 1);
    link.failed(timers.now());
    const answers: ((outcome: ApiOutcome<HeartbeatResponse>) => void)[] = [];
    const timeouts: number[] = [];
    const back: number[] = [];
    const heartbeat = heartbeatWith(
      (_request, options) => {
        timeouts.push(options.timeoutMs);
        return new Promise((resolve) => answers.push(resolve));
      },
      timers,
      link,
      { onBack: (order) => back.push(order) },
    );
    heartbeat.start();
    for (let tick = 0; tick < 5; tick += 1) {
      timers.runAll();
      await settle();
    }
    // Hung probes (a connect retrying into a dead network) do not hold up the next ones.
    expect(answers).toHaveLength(3);
    expect(timeouts).toEqual([3_000, 3_000, 3_000]);
    expect(timers.delays.slice(1).every((delay) => delay === 1_000)).toBe(true);
    // The newest is answered: the network is back, and what was sent before it is stale.
    answers[2]!(ok(7));
    await settle();
    expect(link.connectivity).toBe('online');
    expect(back).toEqual([7]);
    answers[0]!({ kind: 'unreachable', message: 'timed out', order: 5 });
    await settle();
    expect(link.connectivity).toBe('online'); // an older probe's failure says nothing now
    answers[1]!(ok(6));
    await heartbeat.stop();
  });

  it('when an upload is slow, probes at once and gives it up once a probe is answered', async () => {
    const timers = new ManualTimers();
    const link = new Link(() => undefined, 3);
    const answers: ((outcome: ApiOutcome<HeartbeatResponse>) => void)[] = [];
    const back: number[] = [];
    const heartbeat = heartbeatWith(
      () => new Promise((resolve) => answers.push(resolve)),
      timers,
      link,
      { onBack: (order) => back.push(order) },
    );
    heartbeat.start();
    timers.runAll();
    await settle();
    answers[0]!(ok(1));
    await settle();
    heartbeat.suspect(); // an upload has waited 2 s
    expect(link.connectivity).toBe('degraded');
    expect(answers).toHaveLength(2);
    timers.runAll(); // a second later, the first probe unanswered: another
    await settle();
    expect(answers).toHaveLength(3);
    answers[2]!(ok(3));
    await settle();
    expect(back).toEqual([3]);
    expect(link.connectivity).toBe('online');
    answers[1]!(ok(2));
    await heartbeat.stop();
  });

  it('probes within a second when an upload finds the network down between beats', async () => {
    const timers = new ManualTimers();
    const link = new Link(() => undefined, 1);
    let sent = 0;
    const heartbeat = heartbeatWith(
      () => {
        sent += 1;
        return Promise.resolve(ok());
      },
      timers,
      link,
    );
    heartbeat.start();
    timers.runAll();
    await settle();
    expect(sent).toBe(1);
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
    const heartbeat = heartbeatWith(
      () => {
        sent += 1;
        return Promise.resolve(ok());
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
