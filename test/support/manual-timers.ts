import type { Timers } from '../../src/main/timers';

/** Timers that run only when the test says so, remembering each delay asked for. */
export class ManualTimers implements Timers {
  time = 1_000;
  readonly delays: number[] = [];
  private queue: { run: () => void; handle: number }[] = [];
  private next = 0;
  now = () => this.time;

  /** Timers set and not yet run or cleared. */
  pending(): number {
    return this.queue.length;
  }
  setTimeout = (run: () => void, ms: number) => {
    this.delays.push(ms);
    const handle = ++this.next;
    this.queue.push({ run, handle });
    return handle;
  };
  clearTimeout = (handle: unknown) => {
    this.queue = this.queue.filter((timer) => timer.handle !== handle);
  };
  runAll(): void {
    const due = this.queue.splice(0);
    due.forEach((timer) => timer.run());
  }
}
