import { EventEmitter } from 'node:events';

import pg from 'pg';

import { LIVE_IDS_PER_EVENT, type LiveEvent } from '../../common/staff-api';
import { applicationName, guardPool } from '../db/database';

export interface LiveFeed {
  /**
   * A candidate's row changed (state, counts, a new flag, a review). Never throws and never
   * makes a request wait: the change is stored by then, and this is only a hint to look again.
   */
  changed(examId: string, candidateId: string): void;
  /** Everything shown of the exam may have changed (an import): dashboards reload it. */
  resync(examId: string): void;
  /** `onEnd` is called if the feed closes first (server shutdown), so streams can end. */
  subscribe(examId: string, listener: (event: LiveEvent) => void, onEnd?: () => void): () => void;
  close(): Promise<void>;
}

/**
 * Events go out at most this often, all that came meanwhile as one event per exam: a busy
 * exam changes hundreds of rows a second, and a write per change per dashboard cost more than
 * storing the records.
 */
export const LIVE_FLUSH_MS = 200;

const CLOSING = Symbol('closing');

/**
 * The one coalescer between what changed and every dashboard: changes wait up to
 * LIVE_FLUSH_MS, then go out as `candidates` events naming each changed candidate once
 * (LIVE_IDS_PER_EVENT at most each); a `resync` of an exam takes the place of its ids.
 * Subclasses say how the events reach the subscribers.
 */
abstract class CoalescingFeed implements LiveFeed {
  protected readonly emitter = new EventEmitter();
  private waiting = new Map<string, Set<string> | 'resync'>();
  private flushing: Promise<void> | null = null;
  /** Closed: what changes now (a request still finishing) goes nowhere. */
  private ended = false;

  constructor() {
    // Every dashboard is a listener; hundreds are normal.
    this.emitter.setMaxListeners(0);
  }

  changed(examId: string, candidateId: string): void {
    if (this.ended) return;
    const ids = this.waiting.get(examId) ?? new Set<string>();
    if (ids === 'resync') return;
    ids.add(candidateId);
    this.waiting.set(examId, ids);
    this.schedule();
  }

  resync(examId: string): void {
    if (this.ended) return;
    this.waiting.set(examId, 'resync');
    this.schedule();
  }

  subscribe(examId: string, listener: (event: LiveEvent) => void, onEnd?: () => void): () => void {
    this.emitter.on(examId, listener);
    if (onEnd) this.emitter.on(CLOSING, onEnd);
    return () => {
      this.emitter.off(examId, listener);
      if (onEnd) this.emitter.off(CLOSING, onEnd);
    };
  }

  async close(): Promise<void> {
    this.ended = true;
    await this.flushing;
    await this.flush();
    this.emitter.emit(CLOSING);
    this.emitter.removeAllListeners();
  }

  /** Hands the coalesced events on; must not reject. */
  protected abstract deliver(events: LiveEvent[]): Promise<void>;

  private schedule(): void {
    this.flushing ??= new Promise((resolve) => setTimeout(resolve, LIVE_FLUSH_MS)).then(() => {
      this.flushing = null;
      return this.flush();
    });
  }

  private flush(): Promise<void> {
    const waiting = this.waiting;
    this.waiting = new Map();
    return this.deliver(liveEvents(waiting));
  }
}

/** What waited, as events: `resync` alone, or the ids in events of LIVE_IDS_PER_EVENT. */
export function liveEvents(waiting: ReadonlyMap<string, Set<string> | 'resync'>): LiveEvent[] {
  const events: LiveEvent[] = [];
  for (const [examId, ids] of waiting) {
    if (ids === 'resync') {
      events.push({ type: 'resync', examId });
      continue;
    }
    const all = [...ids];
    for (let at = 0; at < all.length; at += LIVE_IDS_PER_EVENT) {
      events.push({
        type: 'candidates',
        examId,
        candidateIds: all.slice(at, at + LIVE_IDS_PER_EVENT),
      });
    }
  }
  return events;
}

/** One process: an in-memory emitter (SQLite deployments run one server process). */
export class LocalLiveFeed extends CoalescingFeed {
  protected deliver(events: LiveEvent[]): Promise<void> {
    for (const event of events) this.emitter.emit(event.examId, event);
    return Promise.resolve();
  }
}

/**
 * Several processes on one PostgreSQL: events go out with NOTIFY and come back to every
 * process (this one included) through LISTEN on one dedicated connection. The channel name
 * carries the schema, so parallel test runs on one database do not hear each other. A lost
 * LISTEN connection is reopened with growing delays; since NOTIFYs sent meanwhile are gone,
 * every open stream is then told to `resync`.
 */
export class PostgresLiveFeed extends CoalescingFeed {
  private listener: pg.Client | null = null;
  private closed = false;
  private retryMs = MIN_RETRY_MS;
  private retryTimer: NodeJS.Timeout | null = null;

  private constructor(
    private readonly databaseUrl: string,
    private readonly schema: string,
    private readonly pool: pg.Pool,
    private readonly channel: string,
    private readonly onError: (error: Error) => void,
  ) {
    super();
  }

  static async connect(
    databaseUrl: string,
    schema: string,
    onError: (error: Error) => void = logFeedError,
  ): Promise<PostgresLiveFeed> {
    const pool = new pg.Pool({
      connectionString: databaseUrl,
      application_name: applicationName(schema),
      max: 2,
    });
    guardPool(pool, onError);
    const feed = new PostgresLiveFeed(databaseUrl, schema, pool, `vakt_live_${schema}`, onError);
    await feed.listen();
    return feed;
  }

  /** Whether the LISTEN connection is up (tests wait for the reconnect). */
  get listening(): boolean {
    return this.listener !== null;
  }

  /** One NOTIFY per payload that fits (a NOTIFY is a commit). Never rejects: see `changed`. */
  protected async deliver(events: LiveEvent[]): Promise<void> {
    for (const payload of notifyPayloads(events)) {
      try {
        await this.pool.query('select pg_notify($1, $2)', [this.channel, payload]);
      } catch (error) {
        this.onError(error as Error);
      }
    }
  }

  override async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    await super.close();
    const listener = this.listener;
    this.listener = null;
    await listener?.end().catch(() => undefined);
    await this.pool.end();
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.databaseUrl,
      application_name: applicationName(this.schema),
    });
    client.on('error', (error) => {
      this.onError(error);
      this.lost(client);
    });
    client.on('end', () => this.lost(client));
    client.on('notification', (message) => {
      if (message.channel !== this.channel || !message.payload) return;
      try {
        const parsed = JSON.parse(message.payload) as LiveEvent | LiveEvent[];
        for (const event of Array.isArray(parsed) ? parsed : [parsed]) {
          this.emitter.emit(event.examId, event);
        }
      } catch {
        // A payload we did not write: ignore it rather than crash the feed.
      }
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${this.channel}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    this.listener = client;
  }

  private lost(client: pg.Client): void {
    if (this.listener !== client || this.closed) return;
    this.listener = null;
    void client.end().catch(() => undefined);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.closed) return;
      this.listen().then(
        () => {
          this.retryMs = MIN_RETRY_MS;
          this.resyncAll();
        },
        (error: Error) => {
          this.onError(error);
          this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
          this.scheduleReconnect();
        },
      );
    }, this.retryMs);
  }

  /** NOTIFYs were lost while LISTEN was down: every stream this process serves reloads. */
  private resyncAll(): void {
    for (const examId of this.emitter.eventNames()) {
      if (typeof examId === 'string') this.emitter.emit(examId, { type: 'resync', examId });
    }
  }
}

const MIN_RETRY_MS = 100;
/** PostgreSQL refuses a NOTIFY payload of 8,000 bytes or more. */
const MAX_PAYLOAD_BYTES = 7_900;

/** `events` as JSON arrays of under MAX_PAYLOAD_BYTES each, in order. */
export function notifyPayloads(events: readonly LiveEvent[]): string[] {
  const payloads: string[] = [];
  let texts: string[] = [];
  let bytes = 2;
  for (const event of events) {
    const text = JSON.stringify(event);
    const size = Buffer.byteLength(text) + 1;
    if (texts.length > 0 && bytes + size > MAX_PAYLOAD_BYTES) {
      payloads.push(`[${texts.join(',')}]`);
      texts = [];
      bytes = 2;
    }
    texts.push(text);
    bytes += size;
  }
  if (texts.length > 0) payloads.push(`[${texts.join(',')}]`);
  return payloads;
}
const MAX_RETRY_MS = 5_000;

function logFeedError(error: Error): void {
  console.error(`Live feed: PostgreSQL connection error (reconnecting): ${error.message}`);
}
