/** The clock and timers services use, so tests can drive time (ports, DESIGN.md "Client services"). */
export interface Timers {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Runs a task now and then again `intervalMs` after each run ends, one run at a time (a poll,
 * a heartbeat). A failed run does not stop the next one; its error goes to `onError`. The
 * interval may be a function, read after each run (a heartbeat probes sooner while the network
 * is down).
 */
export class Repeater {
  private timer: unknown = null;
  private dueAt = 0;
  private current: Promise<void> | null = null;
  private active = false;

  constructor(
    private readonly timers: Timers,
    private readonly intervalMs: number | (() => number),
    private readonly task: () => Promise<void>,
    private readonly onError: (error: unknown) => void = (error) =>
      console.warn('vakt: a repeated task failed:', error),
  ) {}

  start(): void {
    if (this.active) return;
    this.active = true;
    this.schedule(0);
  }

  /** Stops the timer and waits for the run under way, if any. */
  async stop(): Promise<void> {
    this.active = false;
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    // Its failure was reported where it ran; stopping only waits for it.
    await this.current?.catch(() => undefined);
  }

  /** One run now, or the one already under way. */
  run(): Promise<void> {
    this.current ??= this.task().finally(() => {
      this.current = null;
    });
    return this.current;
  }

  /** Brings the next run forward to `ms` from now, if it was due later (never delays it). */
  soon(ms: number): void {
    if (!this.active || this.timer === null) return;
    if (this.dueAt <= this.timers.now() + ms) return;
    this.timers.clearTimeout(this.timer);
    this.schedule(ms);
  }

  private schedule(ms: number): void {
    this.dueAt = this.timers.now() + ms;
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      void this.run()
        .catch(this.onError)
        .finally(() => {
          if (!this.active) return;
          const { intervalMs } = this;
          this.schedule(typeof intervalMs === 'number' ? intervalMs : intervalMs());
        });
    }, ms);
  }
}
