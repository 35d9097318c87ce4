import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import pg from 'pg';

import { migrate, openStorage, type DialectName, type Storage } from '../../src/server/db/database';

export const POSTGRES_URL =
  process.env.VAKT_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function postgresReachable(): Promise<string | null> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (error) {
    return `PostgreSQL is not reachable at ${POSTGRES_URL}: ${(error as Error).message}`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const postgresProblem = await postgresReachable();
if (postgresProblem) {
  if (process.env.CI === 'true') throw new Error(`${postgresProblem} (CI must have PostgreSQL)`);
  console.warn(`SKIPPED PostgreSQL suites: ${postgresProblem}.`);
}

/** The dialects a suite runs against: SQLite always, PostgreSQL where it is reachable. */
export const DIALECTS: DialectName[] = postgresProblem ? ['sqlite'] : ['sqlite', 'postgres'];

export interface TestStorage {
  storage: Storage;
  dataDir: string;
  /** Opens a second handle on the same database (a restarted server). */
  reopen(): Promise<Storage>;
  cleanup(): Promise<void>;
}

/** A fresh, migrated database: a temporary SQLite folder or a new PostgreSQL schema. */
export async function freshStorage(
  dialect: DialectName,
  /** Stop at this migration (a test of the migrations after it). */
  upTo?: string,
): Promise<TestStorage> {
  const dataDir = await mkdtemp(join(tmpdir(), 'vakt-db-'));
  const schema = `vakt_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const options = { databaseUrl: dialect === 'postgres' ? POSTGRES_URL : null, dataDir, schema };
  if (dialect === 'postgres') {
    const admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    await admin.end();
  }
  const storage = openStorage(options);
  await migrate(storage.db, storage.schema ?? undefined, upTo);
  const opened: Storage[] = [storage];
  return {
    storage,
    dataDir,
    reopen: () => {
      const again = openStorage(options);
      opened.push(again);
      return Promise.resolve(again);
    },
    cleanup: async () => {
      for (const handle of opened) await handle.close().catch(() => undefined);
      if (dialect === 'postgres') {
        const admin = new pg.Client({ connectionString: POSTGRES_URL });
        await admin.connect();
        await admin.query(`drop schema if exists ${schema} cascade`);
        await admin.end();
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
