import { EventEmitter } from 'node:events';

import pg from 'pg';

import type { Severity } from '../common/staff-api';

/** What a dashboard hears about an exam: a candidate's state changed, or a new flag. */
export type LiveEvent =
  | { type: 'candidate'; examId: string; candidateId: string }
  | {
      type: 'flag';
      examId: string;
      candidateId: string;
      journalId: string;
      seq: number;
      kind: string;
      severity: Severity;
    };

export interface LiveFeed {
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
 * carries the schema, so parallel test runs on one database do not hear each other.
 */
export class PostgresLiveFeed extends LocalLiveFeed {
  private constructor(
    private readonly listener: pg.Client,
    private readonly pool: pg.Pool,
    private readonly channel: string,
  ) {
    super();
  }

  static async connect(databaseUrl: string, schema: string): Promise<PostgresLiveFeed> {
    const channel = `vakt_live_${schema}`;
    const listener = new pg.Client({ connectionString: databaseUrl });
    await listener.connect();
    const feed = new PostgresLiveFeed(
      listener,
      new pg.Pool({ connectionString: databaseUrl, max: 2 }),
      channel,
    );
    listener.on('notification', (message) => {
      if (message.channel !== channel || !message.payload) return;
      try {
        const event = JSON.parse(message.payload) as LiveEvent;
        feed.emitter.emit(event.examId, event);
      } catch {
        // A payload we did not write: ignore it rather than crash the feed.
      }
    });
    await listener.query(`LISTEN ${channel}`);
    return feed;
  }

  override async publish(event: LiveEvent): Promise<void> {
    await this.pool.query('select pg_notify($1, $2)', [this.channel, JSON.stringify(event)]);
  }

  override async close(): Promise<void> {
    await super.close();
    await this.listener.end();
    await this.pool.end();
  }
}
