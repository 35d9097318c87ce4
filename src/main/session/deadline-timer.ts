import type { ExamPackage } from '../../common/api';
import { deadlineOf } from '../../common/deadline';
import type { Phase } from '../../common/session-phase';
import type { Timers } from '../timers';

/** Look again at least this often: the clock offset from the server may change meanwhile. */
export const DEADLINE_RECHECK_MS = 60_000;

/**
 * Calls `onDue` when the server's clock reaches the deadline. The deadline is on the server's
 * clock (it already holds extra and added time); `serverNow` is this computer's clock plus the
 * latest offset, read afresh at every check, so a corrected offset moves the moment too.
 * `onDue` should check once more and `arm` again if it came early.
 */
export class DeadlineTimer {
  private timer: unknown = null;

  constructor(
    private readonly timers: Timers,
    private readonly serverNow: () => number,
    private readonly onDue: () => void,
  ) {}

  /** Sets the timer for `deadline`, or none when there is no deadline running. */
  arm(deadline: number | null): void {
    this.clear();
    if (deadline === null) return;
    const wait = Math.min(Math.max(0, deadline - this.serverNow()), DEADLINE_RECHECK_MS);
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      if (this.serverNow() >= deadline) this.onDue();
      else this.arm(deadline);
    }, wait);
  }

  /** The timer runs while the exam does (in progress or locked). */
  armFor(state: { phase: Phase; deadline: number | null } | null): void {
    const running = state?.phase === 'in-progress' || state?.phase === 'locked';
    this.arm(running ? state.deadline : null);
  }

  clear(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
  }
}

/**
 * When time runs out for an exam started at `startedAt` (server clock), by the one deadline
 * rule (common/deadline.ts). The time invigilators give comes on top, in the fold
 * (session-record.ts).
 */
export function examDeadline(pkg: ExamPackage, startedAt: number): number {
  return deadlineOf(
    { closesAt: pkg.closesAt, durationMinutes: pkg.policy.timing.durationMinutes },
    pkg.candidate.extraMinutes,
    startedAt,
  );
}
