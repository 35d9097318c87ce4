import type { Kysely } from 'kysely';

import type { Database } from '../db/schema';

/**
 * Hand-overs not yet delivered nor abandoned, given-up ones first, then oldest first (payloads
 * left out).
 */
export async function undeliveredHandovers(db: Kysely<Database>) {
  const rows = await db
    .selectFrom('handovers')
    .select(['id', 'candidate_id', 'created_at', 'attempts', 'next_at', 'last_error', 'dead_at'])
    .where('delivered_at', 'is', null)
    .where('abandoned_at', 'is', null)
    .orderBy('created_at')
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
export async function retryHandover(
  db: Kysely<Database>,
  id: string,
  now: number,
): Promise<boolean> {
  const result = await db
    .updateTable('handovers')
    .set({ dead_at: null, abandoned_at: null, next_at: now, retried_at: now })
    .where('id', '=', id)
    .where('delivered_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * An admin gives up on an undelivered hand-over (the receiver got it another way): it is not
 * sent again, and retention no longer keeps the submission for it. False when no undelivered
 * one has that id.
 */
export async function abandonHandover(
  db: Kysely<Database>,
  id: string,
  now: number,
): Promise<boolean> {
  const result = await db
    .updateTable('handovers')
    .set({ abandoned_at: now })
    .where('id', '=', id)
    .where('delivered_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
