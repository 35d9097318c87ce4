import { describe, expect, it } from 'vitest';

import { ManualTimers } from '../../../test/support/manual-timers';
import type { ExamPackage } from '../../common/api';

import { DeadlineTimer, examDeadline } from './deadline-timer';

const MINUTE = 60_000;

function setup() {
  const timers = new ManualTimers();
  const clock = { offsetMs: 0 };
  let due = 0;
  const timer = new DeadlineTimer(
    timers,
    () => timers.time + clock.offsetMs,
    () => (due += 1),
  );
  /** Lets `ms` pass and runs what is due. */
  const pass = (ms: number) => {
    timers.time += ms;
    timers.runAll();
  };
  return { timers, clock, timer, pass, due: () => due };
}

describe('deadline timer', () => {
  it('looks again every minute and fires when the server clock reaches the deadline', () => {
    const { timers, timer, pass, due } = setup();
    timer.arm(timers.time + 2.5 * MINUTE);
    expect(timers.delays).toEqual([MINUTE]);
    pass(MINUTE);
    pass(MINUTE);
    expect(due()).toBe(0);
    expect(timers.delays).toEqual([MINUTE, MINUTE, 0.5 * MINUTE]);
    pass(0.5 * MINUTE);
    expect(due()).toBe(1);
  });

  it('follows a corrected clock offset: the server is ahead, so time is up sooner', () => {
    const { timers, clock, timer, pass, due } = setup();
    timer.arm(timers.time + 5 * MINUTE);
    clock.offsetMs = 4.5 * MINUTE; // the next reply says the server is 4.5 min ahead
    pass(MINUTE);
    expect(due()).toBe(1);
  });

  it('does nothing without a deadline, and stops when cleared', () => {
    const { timers, timer, pass, due } = setup();
    timer.arm(null);
    expect(timers.delays).toEqual([]);
    timer.arm(timers.time + 1_000);
    timer.clear();
    pass(2_000);
    expect(due()).toBe(0);
  });
});

describe('exam deadline', () => {
  const pkg = (durationMinutes: number, extraMinutes: number, closesAt: number) =>
    ({
      candidate: { number: '1', extraMinutes },
      closesAt,
      policy: { timing: { durationMinutes } },
    }) as unknown as ExamPackage;

  it('is the duration plus extra time, but never past closing plus extra time', () => {
    expect(examDeadline(pkg(60, 15, 10 * 60 * MINUTE), 0)).toBe(75 * MINUTE);
    // Started late: closing (moved by the candidate's extra time) comes first.
    expect(examDeadline(pkg(60, 15, 90 * MINUTE), 50 * MINUTE)).toBe(105 * MINUTE);
  });

  it('runs only while the exam does: in progress or locked', () => {
    const { timers, timer } = setup();
    for (const phase of ['signed-out', 'preflight', 'submitting', 'submitted'] as const) {
      timer.armFor({ phase, deadline: timers.time + MINUTE });
      expect(timers.pending()).toBe(0);
    }
    for (const phase of ['in-progress', 'locked'] as const) {
      timer.armFor({ phase, deadline: timers.time + MINUTE });
      expect(timers.pending()).toBe(1);
    }
  });
});
