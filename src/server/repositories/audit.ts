import { randomUUID } from 'node:crypto';

import type { Kysely } from 'kysely';

import type { AuditAction } from '../../common/audit-actions';
import { canonicalJson } from '../../common/canonical-json';
import { sha256Hex } from '../../common/hash';
import { GENESIS_HASH } from '../../common/journal-record';
import type { DialectName } from '../db/database';
import type { Database } from '../db/schema';

export type AuditOutcome = 'ok' | 'denied' | 'failed';

export interface AuditEntry {
  actorId: string | null;
  actorEmail: string | null;
  address: string;
  action: AuditAction;
  target: string;
  outcome: AuditOutcome;
  detail?: string;
}

type AuditRow = Database['audit_log'];

/** `hash = sha256hex(prev ‖ canonical(entry without hash))`, as the journal's records chain. */
export function auditHash(row: Omit<AuditRow, 'hash'>): string {
  const { hash: _ignored, ...rest } = row as AuditRow;
  return sha256Hex(row.prev_hash + canonicalJson(rest));
}

/**
 * Appends to the audit log, chained to the entry before it. There is deliberately no update or
 * delete function, and the database refuses both (triggers, migration 0006); an edit made
 * around them breaks the chain, which `vakt-server verify-audit` finds. Appends take the head
 * row's lock, so entries from parallel requests chain in one order.
 */
export async function audit(
  db: Kysely<Database>,
  entry: AuditEntry,
  now: number,
  dialect: DialectName = 'sqlite',
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    let head = trx.selectFrom('audit_head').selectAll().where('id', '=', 1);
    if (dialect === 'postgres') head = head.forUpdate();
    const { seq, hash } = (await head.executeTakeFirst()) ?? { seq: 0, hash: GENESIS_HASH };
    const row: Omit<AuditRow, 'hash'> = {
      id: randomUUID(),
      seq: seq + 1,
      at: now,
      actor_id: entry.actorId,
      actor_email: entry.actorEmail,
      address: entry.address,
      action: entry.action,
      target: entry.target,
      outcome: entry.outcome,
      detail: entry.detail ?? '',
      prev_hash: hash,
    };
    const chained = { ...row, hash: auditHash(row) };
    await trx.insertInto('audit_log').values(chained).execute();
    await trx
      .updateTable('audit_head')
      .set({ seq: chained.seq, hash: chained.hash })
      .where('id', '=', 1)
      .execute();
  });
}

export async function readAudit(db: Kysely<Database>, limit: number) {
  return db.selectFrom('audit_log').selectAll().orderBy('seq', 'desc').limit(limit).execute();
}

export type AuditVerdict =
  { ok: true; entries: number; headHash: string } | { ok: false; seq: number; problem: string };

/**
 * Walks the whole chain in pages: every seq present once and in order, every hash
 * recomputing, the last one matching the head row. The head hash it returns is worth writing
 * down elsewhere: with it, even removing the newest entries (and fixing the head) shows.
 */
export async function verifyAudit(db: Kysely<Database>, pageSize = 5_000): Promise<AuditVerdict> {
  let expectedSeq = 1;
  let prev = GENESIS_HASH;
  for (;;) {
    const page = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '>=', expectedSeq)
      .orderBy('seq')
      .limit(pageSize)
      .execute();
    for (const row of page) {
      if (row.seq !== expectedSeq)
        return { ok: false, seq: expectedSeq, problem: `entry ${expectedSeq} is missing` };
      if (row.prev_hash !== prev)
        return {
          ok: false,
          seq: row.seq,
          problem: `entry ${row.seq} does not follow the one before it`,
        };
      if (auditHash(row) !== row.hash)
        return {
          ok: false,
          seq: row.seq,
          problem: `entry ${row.seq} was changed after it was written`,
        };
      prev = row.hash;
      expectedSeq += 1;
    }
    if (page.length < pageSize) break;
  }
  const head = await db.selectFrom('audit_head').selectAll().where('id', '=', 1).executeTakeFirst();
  const last = expectedSeq - 1;
  if ((head?.seq ?? 0) !== last || (head?.hash ?? GENESIS_HASH) !== prev) {
    return {
      ok: false,
      seq: head?.seq ?? 0,
      problem: `the log ends at entry ${last}, but its head says ${head?.seq ?? 0}: entries were removed`,
    };
  }
  return { ok: true, entries: last, headHash: prev };
}
