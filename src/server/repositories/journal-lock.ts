import type { Kysely } from 'kysely';

import type { DialectName } from '../db/database';
import { hotQuery } from '../db/hot-query';
import type { Database } from '../db/schema';

import { ADD_TIME, RESUME, timeCreditMs } from './instructions';

export type JournalRow = Database['journals'];

export interface LockedJournal {
  journal: JournalRow;
  /** The candidate's own extra minutes, and the time invigilators gave (see deadlineAfter). */
  extraMinutes: number;
  creditMs: number | string | null;
  /** The candidate has a submission, from this device or another. */
  submitted: boolean;
}

/** The journal with what ingest needs to know first (see lockJournal). */
const journalWithState = hotQuery((db, slot: (name: 'journalId') => never) =>
  db
    .selectFrom('journals')
    .selectAll('journals')
    .select((eb) => [
      eb
        .selectFrom('candidates')
        .select('candidates.extra_minutes')
        .whereRef('candidates.id', '=', 'journals.candidate_id')
        .as('extra_minutes'),
      eb
        .selectFrom('instructions')
        .select(timeCreditMs.as('credit'))
        .whereRef('instructions.candidate_id', '=', 'journals.candidate_id')
        .where('instructions.kind', 'in', [ADD_TIME, RESUME])
        .as('credit_ms'),
      eb
        .exists(
          eb
            .selectFrom('submissions')
            .select('submissions.journal_id')
            .whereRef('submissions.candidate_id', '=', 'journals.candidate_id'),
        )
        .as('submitted'),
    ])
    .where('journals.id', '=', slot('journalId')),
);

/** PostgreSQL's row lock on a journal, taken on its own (see lockJournal). */
const journalForUpdate = hotQuery((db, slot: (name: 'journalId') => never) =>
  db.selectFrom('journals').select('id').where('id', '=', slot('journalId')).forUpdate(),
);

/**
 * The journal an upload goes to, with all its ingest needs to know first, in one query (each
 * was a query of its own, in every upload's transaction). PostgreSQL locks the journal's row
 * first; SQLite runs one transaction at a time anyway.
 */
export async function lockJournal(
  trx: Kysely<Database>,
  dialect: DialectName,
  journalId: string,
): Promise<LockedJournal | null> {
  if (dialect === 'postgres') {
    // The lock first, on its own: a statement that waited for a row lock sees that row anew
    // but its subqueries as they were when it began (blind to a submission just committed:
    // test/server/client-api.test.ts, "while the submission was being stored").
    await journalForUpdate(trx, { journalId });
  }
  const row = (await journalWithState(trx, { journalId })).rows[0];
  if (!row) return null;
  const { extra_minutes, credit_ms, submitted, ...journal } = row;
  return {
    journal,
    extraMinutes: Number(extra_minutes ?? 0),
    creditMs: credit_ms,
    // SQLite answers 0 or 1, PostgreSQL a boolean.
    submitted: Boolean(submitted),
  };
}
