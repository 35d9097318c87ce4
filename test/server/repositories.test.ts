import { randomUUID } from 'node:crypto';

import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { parseExamFile } from '../../src/common/exam-file';
import { migrate } from '../../src/server/db/database';
import { findCandidate, insertCandidate } from '../../src/server/repositories/candidates';
import { findExamByCode, insertExam } from '../../src/server/repositories/exams';
import { pendingInstructions, queueInstruction } from '../../src/server/repositories/instructions';
import {
  approveSecondDevice,
  getJournal,
  JournalOwnerError,
  openJournal,
} from '../../src/server/repositories/journals';
import { createSession, findSession } from '../../src/server/repositories/sessions';
import { verifySecret } from '../../src/server/secrets';
import { DIALECTS, freshStorage, type TestStorage } from '../support/databases';
import { TEST_EXAM } from '../support/server';

describe.each(DIALECTS)('repositories on %s', (dialect) => {
  let db: TestStorage;
  beforeEach(async () => {
    db = await freshStorage(dialect);
  });
  afterEach(() => db.cleanup());

  /** The test exam and one candidate, in `target` (this test's database unless another). */
  async function seed(target: TestStorage = db) {
    const parsed = parseExamFile(TEST_EXAM);
    if (!parsed.ok) throw new Error(parsed.problems.join('; '));
    const exam = await insertExam(target.storage.db, parsed.value, 1);
    const candidate = await insertCandidate(target.storage.db, exam.id, {
      candidateNumber: '1001',
      name: 'Kari',
      personalCode: 'secret',
    });
    return { exam, candidate };
  }

  it('refuses, saying what to do, a database a development version before 0.1.0 made', async () => {
    // Such a database lists migrations this version does not have (they were squashed).
    const table = db.storage.schema
      ? sql.table(`${db.storage.schema}.kysely_migration`)
      : sql.table('kysely_migration');
    await sql`insert into ${table} (name, timestamp) values ('0017-nonces-in-journals', '2026-11-01T00:00:00.000Z')`.execute(
      db.storage.db,
    );
    await expect(migrate(db.storage.db, db.storage.schema ?? undefined)).rejects.toThrow(
      /made by a development version of Vakt before 0\.1\.0 \(0017-nonces-in-journals\).*start from an empty database/,
    );
  });

  it('migrates an up-to-date database without change', async () => {
    await expect(migrate(db.storage.db, db.storage.schema ?? undefined)).resolves.toBeUndefined();
  });

  it('stores an exam with its normalised policy and finds it by code', async () => {
    const { exam } = await seed();
    const found = await findExamByCode(db.storage.db, 'TEST-1');
    expect(found).toEqual(exam);
    expect(found?.policy.privacy.recordWindowTitles).toBe(false);
    expect(await findExamByCode(db.storage.db, 'NONE-1')).toBeNull();
  });

  it('keeps only a hash of the personal code', async () => {
    const { exam } = await seed();
    const candidate = await findCandidate(db.storage.db, exam.id, '1001');
    expect(candidate?.personal_code_hash).not.toContain('secret');
    expect(await verifySecret('secret', candidate!.personal_code_hash)).toBe(true);
    expect(await verifySecret('Secret', candidate!.personal_code_hash)).toBe(false);
  });

  it('refuses a second candidate with the same number in one exam', async () => {
    const { exam } = await seed();
    await expect(
      insertCandidate(db.storage.db, exam.id, {
        candidateNumber: '1001',
        name: 'X',
        personalCode: 'y',
      }),
    ).rejects.toThrow();
  });

  it('holds a second journal for approval and supersedes the first when approved', async () => {
    const { candidate } = await seed();
    const open = (journalId: string) =>
      openJournal(db.storage.db, {
        journalId,
        candidateId: candidate.id,
        deviceIdHash: 'a'.repeat(64),
        publicKey: 'e'.repeat(64),
        clientVersion: '1.0.0',
        now: 5,
      });
    const first = await open(randomUUID());
    const again = await open(first.id);
    expect(again.state).toBe('active');
    const second = await open(randomUUID());
    expect(second.state).toBe('awaiting-approval');
    await approveSecondDevice(db.storage.db, second.id);
    expect((await getJournal(db.storage.db, first.id))?.state).toBe('superseded');
    expect((await getJournal(db.storage.db, second.id))?.state).toBe('active');
  });

  it("refuses to reopen another candidate's journal", async () => {
    const { exam, candidate } = await seed();
    const other = await insertCandidate(db.storage.db, exam.id, {
      candidateNumber: '1002',
      name: 'Ola',
      personalCode: 'z',
    });
    const journalId = randomUUID();
    const base = {
      journalId,
      deviceIdHash: 'a'.repeat(64),
      publicKey: 'e'.repeat(64),
      clientVersion: '1.0.0',
      now: 5,
    };
    await openJournal(db.storage.db, { ...base, candidateId: candidate.id });
    await expect(openJournal(db.storage.db, { ...base, candidateId: other.id })).rejects.toThrow(
      JournalOwnerError,
    );
  });

  it('keeps instructions given in the same millisecond in the order given', async () => {
    const { candidate } = await seed();
    const kinds = ['add-time', 'lock', 'unlock', 'allow-quit'] as const;
    for (const kind of kinds) {
      await queueInstruction(
        db.storage.db,
        candidate.id,
        kind === 'add-time' ? { kind, minutes: 5 } : { kind },
        1_000,
      );
    }
    const pending = await pendingInstructions(db.storage.db, candidate.id);
    expect(pending.map((instruction) => instruction.kind)).toEqual(kinds);
  });

  it('repeats pending instructions oldest first, and no longer once applied', async () => {
    const { candidate } = await seed();
    // Stored in another order than sent (clock times from another process, say).
    await queueInstruction(db.storage.db, candidate.id, { kind: 'allow-quit' }, 3_000);
    const applied = await queueInstruction(db.storage.db, candidate.id, { kind: 'unlock' }, 2_000);
    await queueInstruction(db.storage.db, candidate.id, { kind: 'lock' }, 1_000);
    await db.storage.db
      .updateTable('instructions')
      .set({ applied_at: 4_000 })
      .where('id', '=', applied)
      .execute();
    const pending = await pendingInstructions(db.storage.db, candidate.id);
    expect(pending.map((instruction) => instruction.kind)).toEqual(['lock', 'allow-quit']);
  });

  it('finds a session by its token until it expires', async () => {
    const { candidate } = await seed();
    const journal = await openJournal(db.storage.db, {
      journalId: randomUUID(),
      candidateId: candidate.id,
      deviceIdHash: 'a'.repeat(64),
      publicKey: 'e'.repeat(64),
      clientVersion: '1.0.0',
      now: 5,
    });
    const token = await createSession(db.storage.db, candidate.id, journal.id, 1_000, 5);
    expect((await findSession(db.storage.db, token, 999))?.journal_id).toBe(journal.id);
    expect(await findSession(db.storage.db, token, 1_000)).toBeNull();
    expect(await findSession(db.storage.db, `${token}x`, 10)).toBeNull();
  });
});
