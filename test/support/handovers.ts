import { randomUUID } from 'node:crypto';

import type { Kysely } from 'kysely';

import type { Database } from '../../src/server/db/schema';
import { openJournal } from '../../src/server/repositories/journals';

type Handover = Database['handovers'];

/**
 * An undelivered hand-over of `candidateId`'s submission as the running server leaves it (on a
 * journal of its own unless one is given): retried so far, or given up on with `dead_at`.
 */
export async function undeliveredHandover(
  db: Kysely<Database>,
  candidateId: string,
  fields: Partial<Handover> & Pick<Handover, 'id'>,
): Promise<void> {
  const journalId =
    fields.journal_id ??
    (
      await openJournal(db, {
        journalId: randomUUID(),
        candidateId,
        deviceIdHash: 'd'.repeat(64),
        publicKey: 'e'.repeat(64),
        clientVersion: '1.0.0',
        now: 0,
      })
    ).id;
  await db
    .insertInto('handovers')
    .values({
      candidate_id: candidateId,
      journal_id: journalId,
      payload: '{}',
      created_at: 0,
      attempts: 0,
      next_at: 0,
      last_error: null,
      delivered_at: null,
      dead_at: null,
      retried_at: null,
      abandoned_at: null,
      ...fields,
    })
    .execute();
}
