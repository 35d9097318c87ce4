import type { Kysely } from 'kysely';

import type { Database } from '../db/schema';

/** Hand-overs not yet delivered, given-up ones first, then oldest first (payloads left out). */
export async function undeliveredHandovers(db: Kysely<Database>) {
  const rows = await db
    .selectFrom('handovers')
    .select(['id', 'candidate_id', 'created_at', 'attempts', 'next_at', 'last_error', 'dead_at'])
    .where('delivered_at', 'is', null)
    .orderBy('created_at')
    .limit(1_000)
    .execute();
  return [
    ...rows.filter((row) => row.dead_at !== null),
    ...rows.filter((row) => row.dead_at === null),
  ];
}
