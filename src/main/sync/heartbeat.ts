import type { HeartbeatRequest, HeartbeatResponse } from '../../common/api';
import { Repeater, type Timers } from '../timers';

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
  private readonly repeater: Repeater;

  constructor(private readonly options: HeartbeatOptions) {
    this.repeater = new Repeater(options.timers, options.intervalMs, () => this.send());
  }

  start(): void {
    this.repeater.start();
  }

  stop(): Promise<void> {
    return this.repeater.stop();
  }

  /** One beat now (also what the timer runs). */
  beat(): Promise<void> {
    return this.repeater.run();
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
}
