import { closeSync, fdatasync, open } from 'node:fs';

import type SQLite from 'better-sqlite3';
import type { SqliteDatabase } from 'kysely';

/**
 * Group commit for SQLite. Commits run with `synchronous = NORMAL`: the WAL is written, not
 * flushed, so a commit costs microseconds and never blocks the event loop on the disk. Before
 * a response leaves, `durable()` waits for one flush of the WAL that began after every commit
 * made so far; requests that arrive while a flush runs share the next one. So a record is still
 * acknowledged only once it is on disk (what `synchronous = FULL` promised, one flush per
 * commit), but a hundred acknowledgements cost one fdatasync, run on libuv's thread pool.
 *
 * Checkpoints keep the promise on their own: with NORMAL, SQLite flushes the WAL before it
 * copies pages into the database and flushes the database before the WAL is reused.
 */
export class GroupCommit {
  /** Write statements prepared so far (each is run at once, so: started). */
  private writes = 0;
  /** Every write counted up to this number is on disk. */
  private flushed = 0;
  private running: { upTo: number; done: Promise<void> } | null = null;

  constructor(
    private readonly flush: () => Promise<void>,
    /** Told of each flush: how many writes it made durable, and how long it took (ms). */
    private readonly onFlush?: (writes: number, ms: number) => void,
  ) {}

  /** How many write statements have run so far. */
  get written(): number {
    return this.writes;
  }

  /** Called as a write statement is about to run. */
  wrote(): void {
    this.writes += 1;
  }

  /** Resolves once every write made before the call is on disk. */
  async durable(): Promise<void> {
    const target = this.writes;
    while (this.flushed < target) {
      // A flush that began after our writes covers them; an older one does not, but the next
      // can only begin once it ends.
      if (this.running) {
        await this.running.done;
        continue;
      }
      const upTo = this.writes;
      const started = performance.now();
      const done = this.flush().then(
        () => {
          this.onFlush?.(upTo - this.flushed, performance.now() - started);
          this.flushed = Math.max(this.flushed, upTo);
          this.running = null;
        },
        (error: unknown) => {
          this.running = null;
          throw error;
        },
      );
      this.running = { upTo, done };
      await done;
    }
  }
}

/**
 * fdatasync of SQLite's WAL file, through a descriptor kept open. SQLite removes the WAL only
 * when the last connection closes (or the journal mode changes), and the server's connection
 * stays open until the storage closes, which closes this too. Opening and closing the file for
 * each flush cost 6.7 % of the server's CPU under load: three trips to libuv's thread pool
 * and a FileHandle each time. A missing WAL (none written yet) holds nothing to flush.
 */
export class WalFile {
  private fd: number | null = null;

  constructor(private readonly path: string) {}

  readonly flush = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const sync = (fd: number) => fdatasync(fd, (error) => (error ? reject(error) : resolve()));
      if (this.fd !== null) {
        sync(this.fd);
        return;
      }
      // r+ because Windows flushes only writable handles.
      open(this.path, 'r+', (error, fd) => {
        if (error) {
          if (error.code === 'ENOENT') resolve();
          else reject(error);
          return;
        }
        this.fd = fd;
        sync(fd);
      });
    });

  close(): void {
    if (this.fd === null) return;
    closeSync(this.fd);
    this.fd = null;
  }
}

/**
 * better-sqlite3 for Kysely, with prepared statements kept by their SQL (Kysely prepares every
 * query afresh, which cost half of each query's time) and each write counted for group commit.
 */
export function sqliteConnection(
  sqlite: SQLite.Database,
  commits: GroupCommit,
  size = 500,
): SqliteDatabase {
  const statements = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare: (sql: string) => {
      let statement = statements.get(sql);
      // A statement still iterating (a streamed query) cannot run twice: use a fresh one.
      if (statement === undefined || statement.busy) {
        statement = sqlite.prepare(sql);
        // Full: start again (cheaper per query than keeping a least-recently-used order).
        if (statements.size >= size) statements.clear();
        statements.set(sql, statement);
      }
      if (!statement.reader) commits.wrote();
      return statement;
    },
  };
}
