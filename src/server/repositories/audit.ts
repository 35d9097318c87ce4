import { randomUUID } from 'node:crypto';

import type { Kysely } from 'kysely';

import type { Database } from '../db/schema';

export type AuditOutcome = 'ok' | 'denied' | 'failed';

export interface AuditEntry {
  actorId: string | null;
  actorEmail: string | null;
  address: string;
  action: string;
  target: string;
  outcome: AuditOutcome;
  detail?: string;
}

/** Appends to the audit log. There is deliberately no update or delete function. */
export async function audit(db: Kysely<Database>, entry: AuditEntry, now: number): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      id: randomUUID(),
      at: now,
      actor_id: entry.actorId,
      actor_email: entry.actorEmail,
      address: entry.address,
      action: entry.action,
      target: entry.target,
      outcome: entry.outcome,
      detail: entry.detail ?? '',
    })
    .execute();
}

export async function readAudit(db: Kysely<Database>, limit: number) {
  return db
    .selectFrom('audit_log')
    .selectAll()
    .orderBy('at', 'desc')
    .orderBy('id')
    .limit(limit)
    .execute();
}
