import { randomUUID } from 'node:crypto';

import type { Kysely } from 'kysely';

import type { ServerFlagKind } from '../../common/server-flags';
import type { Severity } from '../../common/staff-api';
import type { Database } from '../db/schema';

/** A flag the server raised itself (built by sync/severity.ts serverFlag). */
export interface ServerFlag {
  candidateId: string;
  journalId: string | null;
  seq: number | null;
  kind: ServerFlagKind;
  severity: Exclude<Severity, 'info'>;
  detail: string;
}

export async function raiseFlags(
  db: Kysely<Database>,
  flags: readonly ServerFlag[],
  now: number,
): Promise<void> {
  if (flags.length === 0) return;
  await db
    .insertInto('server_flags')
    .values(
      flags.map((flag) => ({
        id: randomUUID(),
        candidate_id: flag.candidateId,
        journal_id: flag.journalId,
        seq: flag.seq,
        kind: flag.kind,
        severity: flag.severity,
        detail: flag.detail,
        at: now,
      })),
    )
    .execute();
}

export async function serverFlags(db: Kysely<Database>, candidateIds: readonly string[]) {
  if (candidateIds.length === 0) return [];
  return db
    .selectFrom('server_flags')
    .selectAll()
    .where('candidate_id', 'in', candidateIds)
    .orderBy('at')
    .execute();
}
