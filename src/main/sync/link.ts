import type { Connectivity } from '../../common/ipc';
import { OFFLINE_AFTER_BEATS } from '../../common/liveness';

/** A change of connectivity worth a journal record: `network.offline` / `network.online`. */
export type LinkTransition = { kind: 'offline' } | { kind: 'online'; offlineMs: number };

/**
 * The client's view of its connection to the server, shared by uploads and heartbeats: online
 * after a reply, degraded after a failure, offline after `offlineAfterFailures` failures in a
 * row. Also keeps the clock offset (server time − local time) from the last reply.
 */
export class Link {
  private failures = 0;
  private offlineSince: number | null = null;
  private state: Connectivity = 'online';
  private offsetMs: number;
  /** The order (ServerApi) of the latest request answered: older failures are stale. */
  private answeredOrder = -Infinity;

  constructor(
    private readonly onTransition: (transition: LinkTransition) => void,
    private readonly offlineAfterFailures = OFFLINE_AFTER_BEATS,
    /** The offset last known (from the sign-in reply), until a reply brings a new one. */
    clockOffsetMs = 0,
  ) {
    this.offsetMs = clockOffsetMs;
  }

  get connectivity(): Connectivity {
    return this.state;
  }

  /** Server time − local time, from the last reply. */
  get clockOffsetMs(): number {
    return this.offsetMs;
  }

  /** A reply arrived: `serverTime` was stamped somewhere between `sentAt` and `receivedAt`. */
  replied(sentAt: number, receivedAt: number, serverTime: number, order?: number): void {
    this.offsetMs = Math.round(serverTime - (sentAt + receivedAt) / 2);
    if (order !== undefined) this.answeredOrder = Math.max(this.answeredOrder, order);
    this.reached(receivedAt);
  }

  /**
   * A request sent before one that was answered: its failure says nothing of the network now
   * (it was sent while the network was down, and given up once it came back).
   */
  isStale(order: number | undefined): boolean {
    return order !== undefined && order < this.answeredOrder;
  }

  /** The server answered (perhaps with a refusal): the network works. */
  reached(receivedAt: number): void {
    this.failures = 0;
    this.state = 'online';
    if (this.offlineSince !== null) {
      const offlineMs = Math.max(0, receivedAt - this.offlineSince);
      this.offlineSince = null;
      this.onTransition({ kind: 'online', offlineMs });
    }
  }

  /** A request is slow to be answered: not a failure, but no longer `online` either. */
  suspect(): void {
    if (this.state === 'online') this.state = 'degraded';
  }

  /** A request failed at `at`; one that `isStale` is not counted. */
  failed(at: number, order?: number): void {
    if (this.isStale(order)) return;
    this.failures += 1;
    if (this.failures < this.offlineAfterFailures) {
      if (this.state === 'online') this.state = 'degraded';
      return;
    }
    if (this.offlineSince === null) {
      this.offlineSince = at;
      this.state = 'offline';
      this.onTransition({ kind: 'offline' });
    }
  }

  /** Consecutive failures: the backoff attempt number. */
  get attempt(): number {
    return this.failures;
  }

  /** The server's clock now, as well as this client knows it. */
  serverNow(localNow: number): number {
    return localNow + this.offsetMs;
  }
}
