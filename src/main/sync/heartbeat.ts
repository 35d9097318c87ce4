import type { HeartbeatRequest, HeartbeatResponse } from '../../common/api';
import type { Timers } from '../timers';

import type { Link } from './link';
import type { ApiOutcome } from './server-api';

export interface HeartbeatOptions {
  send: (request: HeartbeatRequest) => Promise<ApiOutcome<HeartbeatResponse>>;
  link: Link;
  timers: Timers;
  intervalMs: number;
  /** What to report: the journal's head and the session's phase. */
  request: () => HeartbeatRequest;
  onReply: (reply: HeartbeatResponse) => Promise<void>;
  /** Called after every beat, answered or not. */
  onChange: () => void;
}

/**
 * Keeps the server's view of the candidate live, on its own timer (not journaled), and brings
 * back the invigilator's instructions. A beat that fails only marks the link; the next one
 * comes at the usual interval.
 */
export class Heartbeat {
  private timer: unknown = null;
  private beating: Promise<void> | null = null;
  private running = false;

  constructor(private readonly options: HeartbeatOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer !== null) this.options.timers.clearTimeout(this.timer);
    this.timer = null;
    await this.beating;
  }

  /** One beat now (also what the timer runs). */
  async beat(): Promise<void> {
    if (this.beating) return this.beating;
    this.beating = this.send().finally(() => {
      this.beating = null;
    });
    return this.beating;
  }

  private async send(): Promise<void> {
    const { link, timers } = this.options;
    const outcome = await this.options.send(this.options.request());
    if (outcome.kind === 'ok') {
      link.replied(outcome.sentAt, outcome.receivedAt, outcome.value.serverTime);
      // An instruction that could not be applied now comes again with the next beat.
      await this.options.onReply(outcome.value).catch(() => undefined);
    } else if (outcome.kind === 'unreachable') {
      link.failed(timers.now());
    } else {
      // A refusal or rejection: the server is there; the outbox deals with what it means.
      link.reached(timers.now());
    }
    this.options.onChange();
  }

  private schedule(ms: number): void {
    this.timer = this.options.timers.setTimeout(() => {
      this.timer = null;
      void this.beat().finally(() => {
        if (this.running) this.schedule(this.options.intervalMs);
      });
    }, ms);
  }
}
