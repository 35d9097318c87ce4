import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';

import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, sql, SqliteDialect } from 'kysely';
import { Migrator } from 'kysely/migration';
import pg from 'pg';

import { CheckpointThread } from './checkpoints';
import { GroupCommit, sqliteConnection, WalFile } from './group-commit';
import { migrationProvider } from './migrations';
import { preparedPool } from './prepared-pool';
import type { Database } from './schema';

export type DialectName = 'sqlite' | 'postgres';

export interface Storage {
  db: Kysely<Database>;
  dialect: DialectName;
  /** The PostgreSQL schema in use; null on SQLite. */
  schema: string | null;
  /**
   * Resolves once every write made so far is on disk: a response that tells a client its data
   * is stored waits for it (SQLite group commit; PostgreSQL's commits are durable already).
   */
  durable(): Promise<void>;
  close(): Promise<void>;
  /** PostgreSQL: the pool's connections now (for the metrics). */
  poolStats?: () => { total: number; idle: number; waiting: number };
}

export interface StorageOptions {
  /** A postgres:// URL, or null for SQLite in `dataDir`. */
  databaseUrl: string | null;
  dataDir: string;
  /** PostgreSQL schema to use (tests use a fresh one per run); default "public". */
  schema?: string;
  /** Told of connection errors outside any query (a backend terminated while idle). */
  onError?: (error: Error) => void;
  /** Runs each flush of SQLite's WAL to disk (fdatasync), so that tests can hold it back. */
  flushWal?: (flush: () => Promise<void>) => Promise<void>;
  /**
   * PostgreSQL: keep each query's plan per connection (prepared-pool.ts). Only for a pool that
   * does not run migrations: the server migrates on a storage of its own first.
   */
  prepare?: boolean;
  /** SQLite: told of each group-commit flush (writes made durable, ms), for the metrics. */
  onFlush?: (writes: number, ms: number) => void;
}

/** How this server's connections are named in pg_stat_activity: `vakt/<schema>`. */
export function applicationName(schema: string): string {
  return `vakt/${schema}`.slice(0, 63);
}

/**
 * Without listeners, a connection's error (a restarted or terminated backend) is an unhandled
 * 'error' event that stops the process: the pool listens only while a client is idle, and a
 * transaction holds its client between queries. Every client gets a listener of its own; the
 * query that was using it fails (503), and the pool drops it on release.
 */
export function guardPool(pool: pg.Pool, onError: (error: Error) => void): void {
  pool.on('error', onError);
  pool.on('connect', (client) => client.on('error', onError));
}

function logDatabaseError(error: Error): void {
  console.error(`PostgreSQL connection error (the pool reconnects): ${error.message}`);
}

const INT8_OID = 20;

/**
 * The data folder holds every candidate's answers: owner-only (0700, files 0600) whatever
 * existed before, since mkdir's mode does not change a folder that is already there. SQLite
 * gives its -wal and -shm files the mode of the database file, so that is created first.
 */
export function ownerOnly(dir: string, files: readonly string[]): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  if (!existsSync(files[0]!)) closeSync(openSync(files[0]!, 'a', 0o600));
  for (const path of files) if (existsSync(path)) chmodSync(path, 0o600);
}

/** Opens SQLite (WAL) or PostgreSQL, the same Kysely interface either way. */
export function openStorage(options: StorageOptions): Storage {
  if (options.databaseUrl) {
    const schema = options.schema ?? 'public';
    if (!/^[a-z_][a-z0-9_]*$/.test(schema))
      throw new Error(`Invalid PostgreSQL schema name "${schema}"`);
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      application_name: applicationName(schema),
      max: 10,
      options: `-c search_path=${schema}`,
      // Epoch milliseconds are bigint columns; they fit a double exactly, so read numbers.
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
          oid === INT8_OID
            ? Number
            : // pg's own parser table is typed `any`; it returns the parser for this type.
              (pg.types.getTypeParser(oid, format) as unknown)) as typeof pg.types.getTypeParser,
      },
    });
    guardPool(pool, options.onError ?? logDatabaseError);
    const db = new Kysely<Database>({
      dialect: new PostgresDialect({ pool: options.prepare ? preparedPool(pool) : pool }),
    });
    const durable = () => Promise.resolve();
    const poolStats = () => ({
      total: pool.totalCount,
      idle: pool.idleCount,
      waiting: pool.waitingCount,
    });
    return { db, dialect: 'postgres', schema, durable, close: () => db.destroy(), poolStats };
  }
  const file = join(options.dataDir, 'vakt.sqlite');
  ownerOnly(options.dataDir, [file, `${file}-wal`, `${file}-shm`]);
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  // NORMAL: commits write the WAL without flushing it; group commit flushes it once for all the
  // commits made meanwhile, before any of them is acknowledged (group-commit.ts).
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  // What retention deletes is overwritten with zeros, not left in free pages (privacy.md).
  sqlite.pragma('secure_delete = ON');
  sqlite.pragma('busy_timeout = 5000');
  // 64 MiB of page cache (the default is 2 MiB; an exam day's database is far larger).
  sqlite.pragma('cache_size = -65536');
  const wal = new WalFile(`${file}-wal`);
  const flushWal = options.flushWal ? () => options.flushWal!(wal.flush) : wal.flush;
  const checkpoints = new CheckpointThread(file, sqlite);
  const commits = new GroupCommit(async () => {
    await flushWal();
    checkpoints.afterWrites(commits.written);
  }, options.onFlush);
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: sqliteConnection(sqlite, commits) }),
  });
  const durable = () => commits.durable();
  return {
    db,
    dialect: 'sqlite',
    schema: null,
    durable,
    close: async () => {
      await durable();
      // The checkpoint thread's connection first: the server's, closing last, empties the WAL.
      await checkpoints.close();
      await db.destroy();
      wal.close();
    },
  };
}

/**
 * Brings the schema up to date (or up to migration `target`, for tests of a migration);
 * throws with every failed migration named.
 */
export async function migrate(
  db: Kysely<Database>,
  schema?: string,
  target?: string,
): Promise<void> {
  await refuseUnknownMigrations(db, schema);
  const migrator = new Migrator({
    db,
    provider: migrationProvider,
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  for (let attempt = 1; ; attempt += 1) {
    const { error, results } = await (target
      ? migrator.migrateTo(target)
      : migrator.migrateToLatest());
    if (!error) return;
    const failed = results?.filter((r) => r.status === 'Error').map((r) => r.migrationName) ?? [];
    if (attempt < 5 && anotherSchemaVanished(error, schema, failed.length === 0)) continue;
    throw new Error(
      `Database migration failed (${failed.join(', ') || 'unknown'}): ${error instanceof Error ? error.message : JSON.stringify(error)}`,
    );
  }
}

/** Whether every migration this version knows has run (false: not yet, or no table at all). */
export async function migrationsDone(db: Kysely<Database>, schema?: string): Promise<boolean> {
  const applied = new Set((await appliedMigrations(db, schema)) ?? []);
  const known = Object.keys(await migrationProvider.getMigrations());
  return known.every((name) => applied.has(name));
}

/** The migrations the database has run; null when it has no migration table yet. */
async function appliedMigrations(db: Kysely<Database>, schema?: string): Promise<string[] | null> {
  const table = sql.table(schema ? `${schema}.kysely_migration` : 'kysely_migration');
  try {
    const rows = await sql<{ name: string }>`select name from ${table}`.execute(db);
    return rows.rows.map((row) => row.name);
  } catch {
    return null;
  }
}

/**
 * A database whose migrations this version does not have was made by a development version
 * from before 0.1.0's schema was squashed into one migration: say so, and what to do, rather
 * than Kysely's "corrupted migrations".
 */
async function refuseUnknownMigrations(db: Kysely<Database>, schema?: string): Promise<void> {
  const executed = await appliedMigrations(db, schema);
  if (executed === null) return; // a new database: no migrations yet
  const known = new Set(Object.keys(await migrationProvider.getMigrations()));
  const unknown = executed.filter((name) => !known.has(name));
  if (unknown.length === 0) return;
  throw new Error(
    `This database was made by a development version of Vakt before 0.1.0 (${unknown.slice(0, 3).join(', ')}${unknown.length > 3 ? ', …' : ''}); its schema cannot be brought up to date. Keep it aside and start from an empty database: a new VAKT_DATA_DIR, or a new PostgreSQL schema (VAKT_DATABASE_SCHEMA).`,
  );
}

/**
 * Kysely's migrator looks for its tables by reading every schema's tables while other
 * processes create and drop theirs (another Vakt on the same PostgreSQL, tests): that read
 * fails when one vanishes under it, with 3F000 (a schema) or 42P01 (a table) naming another
 * schema's (seen twice in five runs of the suite with parallel workers). Nothing of ours was
 * touched: try again.
 */
function anotherSchemaVanished(
  error: unknown,
  schema: string | undefined,
  noneOfOursFailed: boolean,
): boolean {
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof message !== 'string') return false;
  // A column of a table dropped mid-read ("column id of relation handovers does not exist",
  // seen once in the final runs of stop 40): it names no schema, so it is retried only when
  // none of our migrations was what failed.
  if (code === '42703') return noneOfOursFailed;
  if (code !== '3F000' && code !== '42P01') return false;
  return schema === undefined || !message.includes(`"${schema}`);
}
