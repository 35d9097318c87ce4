import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { freshStorage, type TestStorage } from '../support/databases';

/**
 * What every client request looks up, by a key of the candidate, journal or session. Each must
 * find its rows through an index: a scan grows with the exam day (20,000 submissions by its
 * end) and every upload would pay for it.
 */
const LOOKUPS = {
  'session by token': `select * from sessions where token_hash = 'x'`,
  'journal by id': `select * from journals where id = 'x'`,
  'candidate has submitted': `select 1 from submissions where candidate_id = 'x'`,
  'pending instructions': `select * from instructions where candidate_id = 'x' and applied_at is null`,
  'added minutes': `select sum(minutes) from instructions where candidate_id = 'x' and kind = 'add-time'`,
  'stored records of a retry': `select seq, hash from records where journal_id = 'x' and seq in (1, 2)`,
  "a candidate's answers": `select question_id, value from answers where candidate_id = 'x'`,
};

describe('per-request lookups on SQLite', () => {
  let db: TestStorage;
  beforeAll(async () => {
    db = await freshStorage('sqlite');
  });
  afterAll(() => db.cleanup());

  it.each(Object.entries(LOOKUPS))('%s uses an index, never a scan', async (_name, query) => {
    const plan = await sql
      .raw<{ detail: string }>(`explain query plan ${query}`)
      .execute(db.storage.db);
    const steps = plan.rows.map((row) => row.detail);
    expect(steps.join('; ')).toMatch(/SEARCH \w+ USING/);
    expect(steps.filter((step) => step.startsWith('SCAN'))).toEqual([]);
  });
});
