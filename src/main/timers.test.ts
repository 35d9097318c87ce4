import { describe, expect, it } from 'vitest';

import { Repeater, type Timers } from './timers';

/** Timers a test fires by hand, remembering each delay asked for. */
function manualTimers() {
  const pending: { run: () => void; ms: number }[] = [];
  const timers: Timers = {
    now: () => 0,
    setTimeout: (run, ms) => {
      const timer = { run, ms };
      pending.push(timer);
      return timer;
    },
    clearTimeout: (handle) => {
      const index = pending.indexOf(handle as (typeof pending)[number]);
      if (index !== -1) pending.splice(index, 1);
    },
  };
  const fire = async () => {
    pending.shift()!.run();
    // Let the run and its rescheduling settle.
    for (let i = 0; i < 5; i += 1) await Promise.resolve();
  };
  return { timers, pending, fire };
}

describe('Repeater', () => {
  it('runs at once, then again an interval after each run, even after a failed run', async () => {
    const { timers, pending, fire } = manualTimers();
    let runs = 0;
    const repeater = new Repeater(timers, 1_000, () => {
      runs += 1;
      return runs === 1 ? Promise.reject(new Error('first run fails')) : Promise.resolve();
    });
    repeater.start();
    expect(pending.map((timer) => timer.ms)).toEqual([0]);
    await fire();
    expect(runs).toBe(1);
    expect(pending.map((timer) => timer.ms)).toEqual([1_000]);
    await fire();
    expect(runs).toBe(2);
    await repeater.stop();
    expect(pending).toEqual([]);
  });

  it('runs one at a time: a run asked for during another joins it', async () => {
    const { timers } = manualTimers();
    let runs = 0;
    let finish: () => void = () => undefined;
    const repeater = new Repeater(timers, 1_000, () => {
      runs += 1;
      return new Promise<void>((resolve) => (finish = resolve));
    });
    const first = repeater.run();
    const second = repeater.run();
    expect(second).toBe(first);
    finish();
    await first;
    expect(runs).toBe(1);
  });
});
