import { describe, expect, it } from 'vitest';

import { hotInsert, hotQuery } from '../../src/server/db/hot-query';
import { DIALECTS, freshStorage } from '../support/databases';

/** Queries compiled once per dialect: slots filled per run, constants kept, lost slots refused. */
describe.each(DIALECTS)('hot queries on %s', (dialect) => {
  it('fill their slots on each run and keep the constants they were built with', async () => {
    const db = await freshStorage(dialect);
    try {
      let builds = 0;
      const staffByRole = hotQuery((k, slot: (name: 'email' | 'role') => never) => {
        builds += 1;
        return k
          .selectFrom('staff_users')
          .select(['email', 'role'])
          .where('email', '=', slot('email'))
          .where('role', '=', slot('role'))
          .where('name', '!=', 'nobody');
      });
      for (const [email, role] of [
        ['a@vakt.test', 'admin'],
        ['b@vakt.test', 'invigilator'],
      ] as const) {
        await db.storage.db
          .insertInto('staff_users')
          .values({
            id: email,
            email,
            name: email,
            role,
            password_hash: 'x',
            created_at: 0,
          })
          .execute();
      }
      const run = async (email: string, role: string) =>
        (await staffByRole(db.storage.db, { email, role })).rows;
      expect(await run('a@vakt.test', 'admin')).toEqual([{ email: 'a@vakt.test', role: 'admin' }]);
      expect(await run('b@vakt.test', 'invigilator')).toEqual([
        { email: 'b@vakt.test', role: 'invigilator' },
      ]);
      expect(await run('b@vakt.test', 'admin')).toEqual([]);
      // Inside a transaction as well, still built once.
      await db.storage.db
        .transaction()
        .execute(async (trx) =>
          expect(
            (await staffByRole(trx, { email: 'a@vakt.test', role: 'admin' })).rows,
          ).toHaveLength(1),
        );
      expect(builds).toBe(1);
    } finally {
      await db.cleanup();
    }
  });

  it('refuses a query that lost a slot (a value Kysely folded into the text)', async () => {
    const db = await freshStorage(dialect);
    try {
      const lost = hotQuery((k, _slot: (name: 'email') => never) =>
        k.selectFrom('staff_users').select('email'),
      );
      await expect(lost(db.storage.db, { email: 'a@vakt.test' })).rejects.toThrow(
        /lost its slots email/,
      );
    } finally {
      await db.cleanup();
    }
  });

  it('insert any number of rows, and upsert, with the values given each time', async () => {
    const db = await freshStorage(dialect);
    try {
      const insert = hotInsert('attempt_throttle');
      const upsert = hotInsert('attempt_throttle', (query) =>
        query.onConflict((oc) =>
          oc.column('key').doUpdateSet((eb) => ({ failures: eb.ref('excluded.failures') })),
        ),
      );
      const rows = (from: number, count: number, failures = 1) =>
        Array.from({ length: count }, (_, i) => ({
          key: `k${from + i}`,
          failures,
          next_at: from + i,
          updated_at: 0,
        }));
      await insert(db.storage.db, rows(0, 2));
      await insert(db.storage.db, rows(2, 2));
      await insert(db.storage.db, rows(4, 3));
      await insert(db.storage.db, rows(7, 40)); // past maxRows: 32 rows, then 8
      await insert(db.storage.db, rows(47, 64)); // two statements of 32 exactly
      await upsert(db.storage.db, rows(0, 2, 9));
      // 70 rows, 2 of them new: every existing one updated, across three statements.
      await upsert(db.storage.db, rows(43, 70, 5));
      const stored = await db.storage.db
        .selectFrom('attempt_throttle')
        .select(['key', 'failures', 'next_at'])
        .execute();
      expect(stored).toHaveLength(113);
      const byKey = new Map(stored.map((row) => [row.key, row]));
      expect(byKey.get('k3')).toEqual({ key: 'k3', failures: 1, next_at: 3 });
      expect(byKey.get('k42')).toEqual({ key: 'k42', failures: 1, next_at: 42 });
      expect(byKey.get('k1')).toEqual({ key: 'k1', failures: 9, next_at: 1 });
      for (const key of ['k43', 'k46', 'k78', 'k110', 'k112'])
        expect(byKey.get(key)).toMatchObject({ failures: 5 });
    } finally {
      await db.cleanup();
    }
  });
});
