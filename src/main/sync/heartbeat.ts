import type { HeartbeatRequest, HeartbeatResponse } from '../../common/api';
import { consoleLogger, logged, type Logger } from '../logger';
import { Repeater, type Timers } from '../timers';

import type { Link } from './link';
import type { ApiOutcome } from './server-api';

/** Probes under way at most while the network is down. */
const MAX_PROBES = 3;

export interface HeartbeatOptions {
  send: (
    request: HeartbeatRequest,
    options: { timeoutMs: number; signal: AbortSignal; abortable: true },
  ) => Promise<ApiOutcome<HeartbeatResponse>>;
  link: Link;
  timers: Timers;
  intervalMs: number;
  /**
   * How often to probe while the link is not online (default 1 s): the first answer after the
   * network returns is what sends the waiting records at once, so it should not wait a whole
   * interval.
   */
  probeMs?: number;
  /** How long a beat waits for its answer (default 5 s: it is a few hundred bytes). */
  beatTimeoutMs?: number;
  /** How long a probe waits for its answer (default 3 s). */
  probeTimeoutMs?: number;
  /** What to report: the journal's head and the session's phase. */
  request: () => HeartbeatRequest;
  onReply: (reply: HeartbeatResponse) => Promise<void>;
  /**
   * A beat was answered while the link was down: requests sent before request `order` (an
   * upload) may still hang on a dead connection, and can be given up and sent again.
   */
  onBack?: (order: number) => void;
  /** Called after every beat, answered or not. */
  onChange: () => void;
  logger?: Logger;
}

/**
 * Keeps the server's view of the candidate live, on its own timer (not journaled), and brings
 * back the invigilator's instructions. A beat that fails only marks the link.
 *
 * No beat waits for the one before it: a request sent into a dead network can hang in the
 * kernel's connect retries, or on a connection that died silently, for seconds after the
 * network is back, and must not hold up noticing that it is. Online, one beat every interval
 * (skipped while the last is unanswered); while the link is down, a probe every `probeMs`, a
 * few at most under way. Replies are handled one at a time, in the order they arrive.
 */
export class Heartbeat {
  private readonly repeater: Repeater;
  private readonly probeMs: number;
  private readonly underWay = new Set<Promise<void>>();
  private handling: Promise<void> = Promise.resolve();
  private readonly stopping = new AbortController();

  constructor(private readonly options: HeartbeatOptions) {
    const probeMs = Math.min(options.intervalMs, options.probeMs ?? 1_000);
    this.probeMs = probeMs;
    this.repeater = new Repeater(
      options.timers,
      () => (options.link.connectivity === 'online' ? options.intervalMs : probeMs),
      () => this.tick(),
      logged(options.logger ?? consoleLogger, 'a heartbeat failed'),
    );
  }

  start(): void {
    this.repeater.start();
  }

  /** Stops beating; beats under way are given up (they are not journaled). */
  async stop(): Promise<void> {
    await this.repeater.stop();
    this.stopping.abort();
    await Promise.all(this.underWay);
    await this.handling;
  }

  /**
   * Something else (an upload) failed: if the link is down, probe within `probeMs` instead of
   * waiting out a beat that was scheduled while it was up.
   */
  nudge(): void {
    if (this.options.link.connectivity !== 'online') this.repeater.soon(this.probeMs);
  }

  /**
   * An upload is slow to be answered: the network may have gone silently. The link is no
   * longer called online, so probes go out at once and every `probeMs`; the first answered
   * gives up what was sent before it (`onBack`), the slow upload included, which is sent
   * again — once: a batch that is merely slow is not given up twice.
   */
  suspect(): void {
    this.options.link.suspect();
    this.probe();
    this.nudge();
  }

  private probe(): void {
    if (this.underWay.size < MAX_PROBES) void this.launch(this.probeTimeoutMs);
  }

  /** One beat now, answered or not when it resolves. */
  beat(): Promise<void> {
    return this.launch(this.options.beatTimeoutMs ?? 5_000);
  }

  private get probeTimeoutMs(): number {
    return this.options.probeTimeoutMs ?? 3_000;
  }

  /** What the timer runs: never waits for an answer. */
  private async tick(): Promise<void> {
    if (this.options.link.connectivity === 'online') {
      if (this.underWay.size === 0) void this.beat();
    } else {
      this.probe();
    }
    return Promise.resolve();
  }

  private launch(timeoutMs: number): Promise<void> {
    const beat = this.sendAndHandle(timeoutMs).finally(() => this.underWay.delete(beat));
    this.underWay.add(beat);
    return beat;
  }

  private async sendAndHandle(timeoutMs: number): Promise<void> {
    const outcome = await this.options.send(this.options.request(), {
      timeoutMs,
      signal: this.stopping.signal,
      abortable: true,
    });
    if (this.stopping.signal.aborted) return;
    // One reply at a time; a reply that could not be handled is logged, and the next handled.
    this.handling = this.handling
      .then(() => this.handle(outcome))
      .catch(logged(this.options.logger ?? consoleLogger, 'handling a heartbeat'));
    await this.handling;
  }

  private async handle(outcome: ApiOutcome<HeartbeatResponse>): Promise<void> {
    const { link, timers } = this.options;
    if (outcome.kind === 'ok') {
      const wasDown = link.connectivity !== 'online';
      link.replied(outcome.sentAt, outcome.receivedAt, outcome.value.serverTime, outcome.order);
      if (wasDown && outcome.order !== undefined) this.options.onBack?.(outcome.order);
      // An instruction that could not be applied now comes again with the next beat.
      await this.options
        .onReply(outcome.value)
        .catch(logged(this.options.logger ?? consoleLogger, 'applying a heartbeat reply'));
    } else if (outcome.kind === 'unreachable') {
      link.failed(timers.now(), outcome.order);
      this.nudge();
    } else {
      // A refusal or rejection: the server is there; the outbox deals with what it means.
      link.reached(timers.now());
    }
    this.options.onChange();
  }
}
