import type { Kysely } from 'kysely';

import type { Storage } from '../db/database';
import type { Database } from '../db/schema';

/**
 * Hand-overs not yet delivered nor abandoned, given-up ones first, then oldest first (payloads
 * left out).
 */
export async function undeliveredHandovers(db: Kysely<Database>) {
  const rows = await db
    .selectFrom('handovers')
    .innerJoin('candidates', 'candidates.id', 'handovers.candidate_id')
    .innerJoin('exams', 'exams.id', 'candidates.exam_id')
    .select([
      'handovers.id',
      'handovers.candidate_id',
      'handovers.created_at',
      'handovers.attempts',
      'handovers.next_at',
      'handovers.last_error',
      'handovers.dead_at',
      'candidates.candidate_number',
      'candidates.exam_id',
      'exams.code as exam_code',
    ])
    .where('handovers.delivered_at', 'is', null)
    .where('handovers.abandoned_at', 'is', null)
    .orderBy('handovers.created_at')
    .limit(1_000)
    .execute();
  return [
    ...rows.filter((row) => row.dead_at !== null),
    ...rows.filter((row) => row.dead_at === null),
  ];
}

/**
 * An admin's retry of an undelivered hand-over (given up on, abandoned or waiting): due now,
 * with three days again before it is given up on. False when no undelivered one has that id.
 */
export function retryHandover(db: Kysely<Database>, id: string, now: number): Promise<boolean> {
  return changeUndelivered(db, id, {
    dead_at: null,
    abandoned_at: null,
    next_at: now,
    retried_at: now,
  });
}

/**
 * An admin gives up on an undelivered hand-over (the receiver got it another way): it is not
 * sent again, and retention no longer keeps the submission for it. False when no undelivered
 * one has that id.
 */
export function abandonHandover(db: Kysely<Database>, id: string, now: number): Promise<boolean> {
  return changeUndelivered(db, id, { abandoned_at: now });
}

async function changeUndelivered(
  db: Kysely<Database>,
  id: string,
  changes: Partial<Database['handovers']>,
): Promise<boolean> {
  const result = await db
    .updateTable('handovers')
    .set(changes)
    .where('id', '=', id)
    .where('delivered_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Up to `limit` due hand-overs, claimed for `leaseMs` in one statement: their next attempt is
 * moved past the lease as they are read, and on PostgreSQL rows another process has locked are
 * skipped. So several server processes never send one hand-over at once, and one that stops
 * mid-send leaves it to be sent again once the lease ends. Oldest first.
 */
export async function claimDueHandovers(
  storage: Pick<Storage, 'db' | 'dialect'>,
  now: number,
  limit: number,
  leaseMs: number,
) {
  const { db, dialect } = storage;
  let due = db
    .selectFrom('handovers')
    .select('id')
    .where('delivered_at', 'is', null)
    .where('dead_at', 'is', null)
    .where('abandoned_at', 'is', null)
    .where('next_at', '<=', now)
    .orderBy('next_at')
    .limit(limit);
  if (dialect === 'postgres') due = due.forUpdate().skipLocked();
  const claimed = await db
    .updateTable('handovers')
    .set({ next_at: now + leaseMs })
    .where('id', 'in', due)
    .returning(['id', 'payload', 'attempts', 'created_at', 'retried_at'])
    .execute();
  return claimed.sort((a, b) => a.created_at - b.created_at);
}
