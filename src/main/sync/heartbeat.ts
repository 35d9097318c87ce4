import type { HeartbeatRequest, HeartbeatResponse } from '../../common/api';
import { consoleLogger, logged, type Logger } from '../logger';
import { Repeater, type Timers } from '../timers';

import type { Link } from './link';
import type { ApiOutcome } from './server-api';

export interface HeartbeatOptions {
  send: (request: HeartbeatRequest) => Promise<ApiOutcome<HeartbeatResponse>>;
  link: Link;
  timers: Timers;
  intervalMs: number;
  /**
   * How often to try while the link is not online (default 1 s): the first answer after the
   * network returns is what sends the waiting records at once, so it should not wait a whole
   * interval.
   */
  probeMs?: number;
  /** What to report: the journal's head and the session's phase. */
  request: () => HeartbeatRequest;
  onReply: (reply: HeartbeatResponse) => Promise<void>;
  /** Called after every beat, answered or not. */
  onChange: () => void;
  logger?: Logger;
}

/**
 * Keeps the server's view of the candidate live, on its own timer (not journaled), and brings
 * back the invigilator's instructions. A beat that fails only marks the link; while the link
 * is down, beats come every `probeMs` instead of every interval.
 */
export class Heartbeat {
  private readonly repeater: Repeater;
  private readonly probeMs: number;

  constructor(private readonly options: HeartbeatOptions) {
    const probeMs = Math.min(options.intervalMs, options.probeMs ?? 1_000);
    this.probeMs = probeMs;
    this.repeater = new Repeater(
      options.timers,
      () => (options.link.connectivity === 'online' ? options.intervalMs : probeMs),
      () => this.send(),
      logged(options.logger ?? consoleLogger, 'a heartbeat failed'),
    );
  }

  start(): void {
    this.repeater.start();
  }

  stop(): Promise<void> {
    return this.repeater.stop();
  }

  /**
   * Something else (an upload) failed: if the link is down, probe within `probeMs` instead of
   * waiting out a beat that was scheduled while it was up.
   */
  nudge(): void {
    if (this.options.link.connectivity !== 'online') this.repeater.soon(this.probeMs);
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
      await this.options
        .onReply(outcome.value)
        .catch(logged(this.options.logger ?? consoleLogger, 'applying a heartbeat reply'));
    } else if (outcome.kind === 'unreachable') {
      link.failed(timers.now());
    } else {
      // A refusal or rejection: the server is there; the outbox deals with what it means.
      link.reached(timers.now());
    }
    this.options.onChange();
  }
}
