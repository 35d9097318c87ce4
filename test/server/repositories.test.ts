import { randomUUID } from 'node:crypto';

import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { parseExamFile } from '../../src/common/exam-file';
import { migrate } from '../../src/server/db/database';
import { verifyAudit } from '../../src/server/repositories/audit';
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

  it('migrates a database with two active journals and an unchained audit log', async () => {
    const old = await freshStorage(dialect, '0003-instruction-order');
    try {
      await sql`insert into exams values ('e', 'OLD-1', 'Old', '{}', '{}', 0, 1, 0)`.execute(
        old.storage.db,
      );
      await sql`insert into candidates values ('c', 'e', '1001', 'Kari', 'x', 0)`.execute(
        old.storage.db,
      );
      for (const [id, created] of [
        ['j-new', 2],
        ['j-old', 1],
      ] as const) {
        await sql`insert into journals (id, candidate_id, device_id_hash, client_version, state, status, watermark, head_hash, last_seen_at, created_at)
          values (${id}, 'c', 'd', '1.0.0', 'active', null, 0, 'h', 0, ${created})`.execute(
          old.storage.db,
        );
      }
      for (const [id, at] of [
        ['a2', 20],
        ['a1', 10],
      ] as const) {
        await sql`insert into audit_log (id, at, actor_id, actor_email, address, action, target, outcome, detail)
          values (${id}, ${at}, null, 'cli', 'local', 'exams.create', 'OLD-1', 'ok', '')`.execute(
          old.storage.db,
        );
      }
      await migrate(old.storage.db, old.storage.schema ?? undefined);
      const states = await old.storage.db
        .selectFrom('journals')
        .select(['id', 'state'])
        .orderBy('id')
        .execute();
      expect(states).toEqual([
        { id: 'j-new', state: 'awaiting-approval' },
        { id: 'j-old', state: 'active' },
      ]);
      expect(await verifyAudit(old.storage.db)).toMatchObject({ ok: true, entries: 2 });
      const order = await old.storage.db
        .selectFrom('audit_log')
        .select(['id', 'seq'])
        .orderBy('seq')
        .execute();
      expect(order).toEqual([
        { id: 'a1', seq: 1 },
        { id: 'a2', seq: 2 },
      ]);
    } finally {
      await old.cleanup();
    }
  });

  it('scores the flags of records stored before severity was kept (0008)', async () => {
    const old = await freshStorage(dialect, '0007-exam-min-client-version');
    try {
      const { candidate } = await seed(old);
      await sql`insert into journals (id, candidate_id, device_id_hash, client_version, state, status, watermark, head_hash, last_seen_at, created_at)
        values ('j', ${candidate.id}, 'd', '1.0.0', 'active', null, 3, 'h', 0, 0)`.execute(
        old.storage.db,
      );
      const records = [
        ['process.started', { name: 'AnyDesk', category: 'remote-access', action: 'terminate' }],
        ['answer.saved', { questionId: 'q2', value: { type: 'short-text', text: 'x' } }],
        ['focus.lost', { app: null }],
      ] as const;
      for (const [index, [kind, payload]] of records.entries()) {
        await sql`insert into records (journal_id, seq, kind, client_at, mono, received_at, not_before, payload, prev, hash)
          values ('j', ${index + 1}, ${kind}, 0, 0, 0, null, ${JSON.stringify(payload)}, 'p', 'h')`.execute(
          old.storage.db,
        );
      }
      await migrate(old.storage.db, old.storage.schema ?? undefined);
      const scored = await old.storage.db
        .selectFrom('records')
        .select(['seq', 'severity'])
        .orderBy('seq')
        .execute();
      expect(scored).toEqual([
        { seq: 1, severity: 'high' },
        { seq: 2, severity: null },
        { seq: 3, severity: 'low' },
      ]);
    } finally {
      await old.cleanup();
    }
  });

  it('moves nonce state into the journals row (0017)', async () => {
    const old = await freshStorage(dialect, '0016-submissions-by-candidate');
    try {
      const { candidate } = await seed(old);
      for (const [id, state] of [
        ['j-used', 'active'],
        ['j-new', 'awaiting-approval'],
      ] as const) {
        await sql`insert into journals (id, candidate_id, device_id_hash, client_version, state, status, watermark, head_hash, last_seen_at, created_at)
          values (${id}, ${candidate.id}, 'd', '1.0.0', ${state}, null, 0, 'h', 0, 0)`.execute(
          old.storage.db,
        );
      }
      // Issued 1, 2, 3; 1 and 2 came back (records 4 and 9).
      for (const [ordinal, issuedAt, returnedSeq] of [
        [1, 100, 4],
        [2, 200, 9],
        [3, 300, null],
      ] as const) {
        await sql`insert into nonces (journal_id, ordinal, nonce, issued_at, returned_seq)
          values ('j-used', ${ordinal}, ${`n${ordinal}`}, ${issuedAt}, ${returnedSeq})`.execute(
          old.storage.db,
        );
      }
      await migrate(old.storage.db, old.storage.schema ?? undefined);
      const rows = await old.storage.db
        .selectFrom('journals')
        .select(['id', 'nonce_ordinal', 'returned_ordinal', 'returned_issued_at'])
        .orderBy('id')
        .execute();
      expect(rows).toEqual([
        { id: 'j-new', nonce_ordinal: 0, returned_ordinal: 0, returned_issued_at: null },
        { id: 'j-used', nonce_ordinal: 3, returned_ordinal: 2, returned_issued_at: 200 },
      ]);
    } finally {
      await old.cleanup();
    }
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
