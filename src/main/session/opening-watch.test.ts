import { describe, expect, it } from 'vitest';

import { ManualTimers } from '../../../test/support/manual-timers';

import {
  OPENING_RECHECK_MS,
  OPENING_RETRY_MS,
  OPENING_SPREAD_MS,
  OpeningWatch,
} from './opening-watch';

/** Lets the fetch's promise chain settle. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('the waiting room clock', () => {
  it('asks at the opening on the server clock, again until it has the questions', async () => {
    const timers = new ManualTimers();
    let serverNow = 0;
    const answers = [false, true];
    let asked = 0;
    const watch = new OpeningWatch(
      timers,
      () => serverNow,
      () => {
        asked += 1;
        return Promise.resolve(answers.shift()!);
      },
      () => undefined,
      () => 0.5,
    );
    watch.arm(12_000);
    // Looks again at least every few seconds (the offset may change), not asking early.
    expect(timers.delays).toEqual([OPENING_RECHECK_MS]);
    serverNow = 11_000;
    timers.runAll();
    expect(timers.delays.at(-1)).toBe(1_000);
    expect(asked).toBe(0);
    serverNow = 12_000;
    timers.runAll();
    // Opened: this laptop's random share of the spread (half of it here) before the first ask.
    expect(timers.delays.at(-1)).toBe(OPENING_SPREAD_MS / 2);
    expect(asked).toBe(0);
    timers.runAll();
    await settle();
    expect(asked).toBe(1);
    // Not open yet at the server: again after the retry and its random share.
    expect(timers.delays.at(-1)).toBe(OPENING_RETRY_MS + 1_000);
    timers.runAll();
    await settle();
    expect(asked).toBe(2);
    expect(timers.pending()).toBe(0);
  });

  it('stops when cleared, and carries on after a failed fetch', async () => {
    const timers = new ManualTimers();
    const errors: unknown[] = [];
    const watch = new OpeningWatch(
      timers,
      () => 5_000,
      () => Promise.reject(new Error('offline')),
      (error) => errors.push(error),
    );
    watch.arm(1_000);
    timers.runAll(); // past the spread
    await settle();
    expect(errors).toHaveLength(1);
    expect(timers.pending()).toBe(1);
    watch.clear();
    expect(timers.pending()).toBe(0);
  });
});
