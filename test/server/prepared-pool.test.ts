import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';

import type { Ack } from '../../src/common/api';
import { openStorage, type Storage } from '../../src/server/db/database';
import { isStalePlan, preparedPool } from '../../src/server/db/prepared-pool';
import { isDatabaseUnavailable } from '../../src/server/errors';
import { DIALECTS, freshStorage, POSTGRES_URL, type TestStorage } from '../support/databases';
import { ExamClient } from '../support/exam-client';
import { testServer, type TestServer } from '../support/server';

/** PostgreSQL with kept query plans: what the server runs with once migrated. */
describe.skipIf(!DIALECTS.includes('postgres'))('prepared statements on PostgreSQL', () => {
  let db: TestStorage;
  const closers: (() => Promise<unknown>)[] = [];

  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
    await db.cleanup();
  });

  /** Kysely on one connection of the test's schema, its queries prepared. */
  async function oneConnection() {
    db = await freshStorage('postgres');
    const pool = new pg.Pool({
      connectionString: POSTGRES_URL,
      max: 1,
      options: `-c search_path=${db.storage.schema}`,
    });
    const kysely = new Kysely<Record<string, never>>({
      dialect: new PostgresDialect({ pool: preparedPool(pool) }),
    });
    closers.push(() => kysely.destroy());
    const prepared = async () =>
      (
        await sql<{ name: string }>`select name from pg_prepared_statements`.execute(kysely)
      ).rows.map((row) => row.name);
    return { kysely, prepared };
  }

  it('prepares a query once per connection, but not DDL or a bulk insert', async () => {
    const { kysely, prepared } = await oneConnection();
    await sql`create table t (a integer)`.execute(kysely);
    for (let i = 0; i < 3; i += 1) await sql`select a from t where a = ${i}`.execute(kysely);
    const values = Array.from({ length: 70 }, (_, i) => sql`(${i})`);
    await sql`insert into t (a) values ${sql.join(values)}`.execute(kysely);
    const names = await prepared();
    // The select (once, however often it ran) and the catalogue query itself.
    expect(names.filter((name) => name.startsWith('vakt_'))).toHaveLength(2);
    const count = await sql<{ n: string }>`select count(*) as n from t`.execute(kysely);
    expect(Number(count.rows[0]!.n)).toBe(70);
  });

  it('fails once on a plan a schema change made stale, then plans afresh', async () => {
    const { kysely } = await oneConnection();
    await sql`create table t (a integer)`.execute(kysely);
    await sql`insert into t values (1)`.execute(kysely);
    const all = () => sql<Record<string, number>>`select * from t`.execute(kysely);
    expect((await all()).rows).toEqual([{ a: 1 }]);
    // Another server's migration, on another connection.
    const other = new pg.Client({ connectionString: POSTGRES_URL });
    await other.connect();
    await other.query(`alter table ${db.storage.schema}.t add column b integer default 2`);
    await other.end();
    const stale = await all().catch((error: unknown) => error);
    expect(isStalePlan(stale)).toBe(true);
    // Answered as 503 with Retry-After (errors.ts), so the client tries again.
    expect(isDatabaseUnavailable(stale)).toBe(true);
    expect((await all()).rows).toEqual([{ a: 1, b: 2 }]);
  });

  it('serves the candidate API on a prepared pool: uploads, retries, heartbeats', async () => {
    db = await freshStorage('postgres');
    const storage: Storage = openStorage({
      databaseUrl: POSTGRES_URL,
      dataDir: db.dataDir,
      schema: db.storage.schema!,
      prepare: true,
    });
    closers.push(() => storage.close());
    const server: TestServer = await testServer(storage);
    closers.push(() => server.app.close());
    const client = new ExamClient(server.app);
    expect((await client.signIn()).statusCode).toBe(200);
    await client.fetchPackage();
    for (let round = 1; round <= 5; round += 1) {
      // What is not on the server yet: the last round's nonce record, and a new one.
      const uploaded = client.records.length === 0 ? 0 : client.records.length - 1;
      client.append('focus.regained', { durationMs: round });
      const batch = client.records.slice(uploaded);
      const response = await client.sync(batch);
      expect(response.statusCode).toBe(200);
      expect(response.json<Ack>().watermark).toBe(batch.at(-1)!.seq);
      // A retry of the same batch is acknowledged, not stored twice.
      expect((await client.upload(batch)).statusCode).toBe(200);
      expect((await client.heartbeat()).statusCode).toBe(200);
    }
    const stored = await storage.db
      .selectFrom('records')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(stored.n)).toBe(client.records.length - 1);
    expect(server.serverErrors).toEqual([]);
  });
});
