import { randomUUID } from 'node:crypto';

import type { Kysely } from 'kysely';

import { canonicalJson } from '../../common/canonical-json';
import type { JournalRecord } from '../../common/journal-record';
import { hotInsert } from '../db/hot-query';
import type { Database } from '../db/schema';

export type RecordRow = Database['records'];

/** Stores accepted records: one compiled insert of many rows. */
export const insertRecords = hotInsert('records');

/** The hashes the server holds for these seqs of a journal (to tell a retry from a fork). */
export async function storedHashes(
  db: Kysely<Database>,
  journalId: string,
  seqs: readonly number[],
): Promise<Map<number, string>> {
  if (seqs.length === 0) return new Map();
  const rows = await db
    .selectFrom('records')
    .select(['seq', 'hash'])
    .where('journal_id', '=', journalId)
    .where('seq', 'in', seqs)
    .execute();
  return new Map(rows.map((row) => [row.seq, row.hash]));
}

/** Keeps refused records aside (nothing is lost) and counts their bytes against the quota. */
export async function quarantineRecords(
  db: Kysely<Database>,
  journalId: string,
  records: readonly JournalRecord[],
  reason: string,
  now: number,
): Promise<void> {
  const texts = records.map((record) => canonicalJson(record));
  const bytes = texts.reduce((sum, text) => sum + text.length, 0);
  await db
    .insertInto('quarantine')
    .values(
      records.map((record, index) => ({
        id: randomUUID(),
        journal_id: journalId,
        seq: record.seq,
        reason,
        record: texts[index]!,
        received_at: now,
      })),
    )
    .execute();
  await db
    .updateTable('journals')
    .set((eb) => ({ quarantined_bytes: eb('quarantined_bytes', '+', bytes) }))
    .where('id', '=', journalId)
    .execute();
}

/**
 * The unreviewed flag of this journal that a repeat of `kind` about `key` joins: the first such
 * record not yet reviewed (a reviewed one starts a new group), or null.
 */
export async function openFlagGroup(
  db: Kysely<Database>,
  journalId: string,
  kind: string,
  key: string,
): Promise<number | null> {
  const row = await db
    .selectFrom('records')
    .select('seq')
    .where('journal_id', '=', journalId)
    .where('kind', '=', kind)
    .where('group_key', '=', key)
    .where('grouped_into', 'is', null)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('flag_reviews')
            .select('flag_reviews.seq')
            .whereRef('flag_reviews.journal_id', '=', 'records.journal_id')
            .whereRef('flag_reviews.seq', '=', 'records.seq'),
        ),
      ),
    )
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.seq ?? null;
}
