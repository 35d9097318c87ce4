import type { Timers } from '../timers';

/** Look again at least this often while waiting: the offset from the server's clock may move. */
export const OPENING_RECHECK_MS = 5_000;
/** After the opening, a fetch that did not get the questions is tried again this soon… */
export const OPENING_RETRY_MS = 2_000;
/** …plus up to this much at random, so a hall of laptops does not ask in the same instant. */
export const OPENING_JITTER_MS = 2_000;
/**
 * The first ask comes up to this long after the opening, at random: a hall's laptops would
 * otherwise all ask the server (which signs each package) in one instant. Each candidate's
 * time runs from their own start, so none loses time to it.
 */
export const OPENING_SPREAD_MS = 5_000;

/**
 * The waiting room's clock: when the server's clock reaches the opening, `fetch` asks for the
 * questions, again and again until it gets them (true). `serverNow` is read afresh at every
 * check, so a corrected clock offset moves the moment too, as for the deadline.
 */
export class OpeningWatch {
  private timer: unknown = null;
  private armed = false;

  constructor(
    private readonly timers: Timers,
    private readonly serverNow: () => number,
    private readonly fetch: () => Promise<boolean>,
    private readonly onError: (error: unknown) => void,
    private readonly random: () => number = Math.random,
  ) {}

  /** Waits for `opensAt` (server clock) and a moment more, then fetches until it is open. */
  arm(opensAt: number): void {
    this.clear();
    this.armed = true;
    this.wait(opensAt, true);
  }

  clear(): void {
    this.armed = false;
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
  }

  private wait(opensAt: number, first = false): void {
    const left = opensAt - this.serverNow();
    if (left > 0) {
      this.later(Math.min(left, OPENING_RECHECK_MS), () => this.wait(opensAt, first));
      return;
    }
    if (first) {
      // Opened: this laptop's random moment within the spread, then the first ask.
      this.later(this.random() * OPENING_SPREAD_MS, () => this.wait(opensAt));
      return;
    }
    void this.fetch()
      .catch((error: unknown) => {
        this.onError(error);
        return false;
      })
      .then((opened) => {
        if (opened) this.clear();
        else
          this.later(OPENING_RETRY_MS + this.random() * OPENING_JITTER_MS, () =>
            this.wait(opensAt),
          );
      });
  }

  private later(ms: number, run: () => void): void {
    if (!this.armed) return;
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      if (this.armed) run();
    }, ms);
  }
}
