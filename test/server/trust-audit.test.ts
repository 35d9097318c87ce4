import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { audit, verifyAudit } from '../../src/server/repositories/audit';
import { DIALECTS, freshStorage, type TestStorage } from '../support/databases';

/** Server trust: the audit log is append-only and hash-chained, so tampering shows. */
describe.each(DIALECTS)('audit log on %s', (dialect) => {
  let db: TestStorage;

  beforeEach(async () => {
    db = await freshStorage(dialect);
  });

  afterEach(async () => {
    await db.cleanup();
  });

  const entry = (n: number) => ({
    actorId: null,
    actorEmail: 'admin@vakt.test',
    address: '127.0.0.1',
    action: 'flags.review' as const,
    target: `/exams/x/${n}`,
    outcome: 'ok' as const,
    detail: `entry ${n}`,
  });

  const append = (count: number) =>
    Promise.all(
      Array.from({ length: count }, (_, n) => audit(db.storage.db, entry(n), 1_000 + n, dialect)),
    );

  /** Drops the append-only triggers, as someone with the database's own password could. */
  async function dropTriggers(): Promise<void> {
    if (dialect === 'sqlite') {
      await sql`drop trigger audit_log_no_update`.execute(db.storage.db);
      await sql`drop trigger audit_log_no_delete`.execute(db.storage.db);
    } else {
      await sql`drop trigger audit_log_append_only on audit_log`.execute(db.storage.db);
    }
  }

  it('chains entries appended in parallel into one order', async () => {
    await append(25);
    const verdict = await verifyAudit(db.storage.db, 7);
    expect(verdict).toMatchObject({ ok: true, entries: 25 });
    const seqs = await db.storage.db.selectFrom('audit_log').select('seq').orderBy('seq').execute();
    expect(seqs.map((row) => row.seq)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
  });

  it('refuses to change or delete an entry', async () => {
    await append(3);
    await expect(
      db.storage.db.updateTable('audit_log').set({ detail: 'nothing happened' }).execute(),
    ).rejects.toThrow(/append-only/);
    await expect(db.storage.db.deleteFrom('audit_log').execute()).rejects.toThrow(/append-only/);
    expect(await verifyAudit(db.storage.db)).toMatchObject({ ok: true, entries: 3 });
  });

  it('finds an entry edited around the triggers', async () => {
    await append(5);
    await dropTriggers();
    await db.storage.db
      .updateTable('audit_log')
      .set({ detail: 'nothing happened' })
      .where('seq', '=', 3)
      .execute();
    expect(await verifyAudit(db.storage.db)).toEqual({
      ok: false,
      seq: 3,
      problem: 'entry 3 was changed after it was written',
    });
  });

  it('finds entries deleted from the middle and from the end', async () => {
    await append(5);
    await dropTriggers();
    await db.storage.db.deleteFrom('audit_log').where('seq', '=', 5).execute();
    expect(await verifyAudit(db.storage.db)).toMatchObject({
      ok: false,
      problem: expect.stringContaining('entries were removed') as unknown,
    });
    await db.storage.db.deleteFrom('audit_log').where('seq', '=', 2).execute();
    expect(await verifyAudit(db.storage.db)).toMatchObject({
      ok: false,
      seq: 2,
      problem: 'entry 2 is missing',
    });
  });
});
