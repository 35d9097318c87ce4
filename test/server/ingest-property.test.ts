import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CLIENT_ROUTES } from '../../src/common/api';
import type { JournalRecord } from '../../src/common/journal-record';
import { insertCandidate } from '../../src/server/repositories/candidates';
import { DIALECTS, freshStorage, type TestStorage } from '../support/databases';
import { ExamClient } from '../support/exam-client';
import { testServer, type TestServer } from '../support/server';

/**
 * Property: whatever batches a client sends — valid, reordered, overlapping, tampered or
 * malformed — the server never answers 5xx, the stored journal is always a prefix of the
 * client's true chain (nothing forged is ever stored), and a batch that validly continues the
 * stored journal is always accepted.
 */
type Op =
  | { type: 'slice'; from: number; length: number }
  | {
      type: 'tamper';
      from: number;
      length: number;
      at: number;
      how: 'payload' | 'prev' | 'hash' | 'seq';
    }
  | { type: 'shuffle'; from: number; length: number; seed: number }
  | { type: 'garbage'; body: unknown }
  | { type: 'continue'; length: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    type: fc.constant('slice' as const),
    from: fc.nat(24),
    length: fc.integer({ min: 1, max: 8 }),
  }),
  fc.record({
    type: fc.constant('tamper' as const),
    from: fc.nat(24),
    length: fc.integer({ min: 1, max: 8 }),
    at: fc.nat(7),
    how: fc.constantFrom('payload' as const, 'prev' as const, 'hash' as const, 'seq' as const),
  }),
  fc.record({
    type: fc.constant('shuffle' as const),
    from: fc.nat(24),
    length: fc.integer({ min: 2, max: 8 }),
    seed: fc.nat(),
  }),
  fc.record({
    type: fc.constant('garbage' as const),
    body: fc.oneof(
      fc.jsonValue(),
      fc.record({ journalId: fc.uuid(), records: fc.array(fc.jsonValue(), { maxLength: 3 }) }),
    ),
  }),
  fc.record({ type: fc.constant('continue' as const), length: fc.integer({ min: 1, max: 8 }) }),
);

function tamper(record: JournalRecord, how: 'payload' | 'prev' | 'hash' | 'seq'): JournalRecord {
  switch (how) {
    case 'payload':
      return { ...record, payload: { durationMs: 999_999 } };
    case 'prev':
      return { ...record, prev: 'f'.repeat(64) };
    case 'hash':
      return { ...record, hash: 'e'.repeat(64) };
    case 'seq':
      return { ...record, seq: record.seq + 1 };
  }
}

describe.each(DIALECTS)('ingest properties on %s', (dialect) => {
  let db: TestStorage;
  let server: TestServer;
  let candidates = 0;

  beforeAll(async () => {
    db = await freshStorage(dialect);
    server = await testServer(db.storage);
  });

  afterAll(async () => {
    await server.app.close();
    await db.cleanup();
  });

  it('never answers 5xx and only ever stores a prefix of the true chain', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 12 }), async (ops) => {
        candidates += 1;
        const number = `P${candidates}`;
        await insertCandidate(db.storage.db, server.exam.id, {
          candidateNumber: number,
          name: 'P',
          personalCode: 'pc',
        });
        const client = new ExamClient(server.app, {
          examCode: 'TEST-1',
          candidateNumber: number,
          personalCode: 'pc',
        });
        await client.signIn();
        await client.fetchPackage();
        for (let i = 0; i < 32; i += 1) client.append('focus.regained', { durationMs: i });
        const chain = client.records;

        const stored = async () =>
          db.storage.db
            .selectFrom('records')
            .select(['seq', 'hash'])
            .where('journal_id', '=', client.journalId)
            .orderBy('seq')
            .execute();

        for (const step of ops) {
          const before = (await stored()).length;
          let response;
          if (step.type === 'garbage') {
            response = await server.app.inject({
              method: 'POST',
              url: CLIENT_ROUTES.records,
              headers: client.headers(CLIENT_ROUTES.records),
              payload: step.body as object,
            });
          } else if (step.type === 'continue') {
            // The whole chain is stored: there is nothing to continue with (an empty batch is
            // refused by design, 400).
            if (before === chain.length) continue;
            response = await client.upload(chain.slice(before, before + step.length));
            // A valid continuation is always accepted in full.
            expect(response.statusCode).toBe(200);
            expect((await stored()).length).toBe(Math.min(chain.length, before + step.length));
          } else {
            let batch = chain.slice(step.from, step.from + step.length);
            if (step.type === 'tamper' && batch.length > 0) {
              const at = step.at % batch.length;
              batch = batch.map((r, index) => (index === at ? tamper(r, step.how) : r));
            }
            if (step.type === 'shuffle') {
              batch = [...batch].sort(
                (a, b) => ((a.seq * 7919 + step.seed) % 97) - ((b.seq * 7919 + step.seed) % 97),
              );
            }
            response = await client.upload(batch.length > 0 ? batch : [chain[0]!]);
          }
          expect(response.statusCode).toBeLessThan(500);
          const now = await stored();
          expect(now.map((r) => r.seq)).toEqual(now.map((_, index) => index + 1));
          expect(now.map((r) => r.hash)).toEqual(chain.slice(0, now.length).map((r) => r.hash));
          expect(now.length).toBeGreaterThanOrEqual(before);
        }
      }),
      { numRuns: 25 },
    );
    expect(server.serverErrors).toEqual([]);
  }, 120_000);
});
