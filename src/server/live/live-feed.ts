import { EventEmitter } from 'node:events';

import pg from 'pg';

import type { LiveEvent } from '../../common/staff-api';
import { applicationName, guardPool } from '../db/database';

export interface LiveFeed {
  /**
   * Never rejects, and never makes a request wait on delivery: a lost live update is logged,
   * not a failed request.
   */
  publish(event: LiveEvent): Promise<void>;
  /** `onEnd` is called if the feed closes first (server shutdown), so streams can end. */
  subscribe(examId: string, listener: (event: LiveEvent) => void, onEnd?: () => void): () => void;
  close(): Promise<void>;
}

const CLOSING = Symbol('closing');

/** One process: an in-memory emitter (SQLite deployments run one server process). */
export class LocalLiveFeed implements LiveFeed {
  protected readonly emitter = new EventEmitter();

  constructor() {
    // Every dashboard is a listener; hundreds are normal.
    this.emitter.setMaxListeners(0);
  }

  publish(event: LiveEvent): Promise<void> {
    this.emitter.emit(event.examId, event);
    return Promise.resolve();
  }

  subscribe(examId: string, listener: (event: LiveEvent) => void, onEnd?: () => void): () => void {
    this.emitter.on(examId, listener);
    if (onEnd) this.emitter.on(CLOSING, onEnd);
    return () => {
      this.emitter.off(examId, listener);
      if (onEnd) this.emitter.off(CLOSING, onEnd);
    };
  }

  close(): Promise<void> {
    this.emitter.emit(CLOSING);
    this.emitter.removeAllListeners();
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
export class PostgresLiveFeed extends LocalLiveFeed {
  private listener: pg.Client | null = null;
  private queued: LiveEvent[] = [];
  private sending: Promise<void> | null = null;
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

  /**
   * Queues the event: every NOTIFY_BATCH_MS what was queued goes out as few NOTIFYs as fit
   * (a NOTIFY is a commit, and there was one per request). Never rejects: the records are
   * stored by then, and a live update is only a hint to look again — a request must not fail
   * (and be retried as a duplicate) because a hint was lost.
   */
  override publish(event: LiveEvent): Promise<void> {
    this.queued.push(event);
    this.sending ??= new Promise((resolve) => setTimeout(resolve, NOTIFY_BATCH_MS)).then(() =>
      this.send(),
    );
    return Promise.resolve();
  }

  private async send(): Promise<void> {
    const events = this.queued;
    this.queued = [];
    this.sending = null;
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
    await this.sending;
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
          this.resync();
        },
        (error: Error) => {
          this.onError(error);
          this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
          this.scheduleReconnect();
        },
      );
    }, this.retryMs);
  }

  private resync(): void {
    for (const examId of this.emitter.eventNames()) {
      if (typeof examId === 'string') this.emitter.emit(examId, { type: 'resync', examId });
    }
  }
}

const MIN_RETRY_MS = 100;
const NOTIFY_BATCH_MS = 50;
/** PostgreSQL refuses a NOTIFY payload of 8,000 bytes or more. */
const MAX_PAYLOAD_BYTES = 7_900;

/**
 * `events` as JSON arrays of under MAX_PAYLOAD_BYTES each, in order; a candidate that changed
 * more than once is named once (a dashboard fetches its state anew either way).
 */
export function notifyPayloads(events: readonly LiveEvent[]): string[] {
  const payloads: string[] = [];
  const seen = new Set<string>();
  let texts: string[] = [];
  let bytes = 2;
  for (const event of events) {
    if (event.type === 'candidate') {
      const key = `${event.examId}|${event.candidateId}`;
      if (seen.has(key)) continue;
      seen.add(key);
    }
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
