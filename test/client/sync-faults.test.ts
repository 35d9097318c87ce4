import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { answersHash } from '../../src/common/api';
import { insertCandidate } from '../../src/server/repositories/candidates';
import {
  listeningServer,
  storedRecords,
  testClient,
  until,
  type ListeningServer,
  drained,
  signInPatiently,
} from '../support/client-session';
import { FaultProxy, type Fault } from '../support/fault-proxy';

const fault: fc.Arbitrary<Fault> = fc.oneof(
  fc.constant<Fault>({ kind: 'pass' }),
  fc.constant<Fault>({ kind: 'refuse' }),
  fc.constant<Fault>({ kind: 'drop' }),
  fc.constant<Fault>({ kind: 'cut' }),
  fc.integer({ min: 10, max: 200 }).map((ms): Fault => ({ kind: 'delay', ms })),
);

const step = fc.record({
  text: fc.string({ maxLength: 40 }),
  leaving: fc.boolean(),
  pauseMs: fc.integer({ min: 0, max: 30 }),
});

/**
 * Random sequences of network faults between the client and the real server (drop, delay,
 * refuse, and "server committed, response cut"): once the drain has finished, the server holds
 * exactly the client's journal, each record once, nothing quarantined, and the receipt is the
 * hash of the client's answers.
 */
describe('sync through a faulty network', () => {
  let server: ListeningServer;
  let proxy: FaultProxy;
  let run = 0;

  beforeAll(async () => {
    server = await listeningServer();
    proxy = await FaultProxy.start(server.port);
  });

  afterAll(async () => {
    await proxy.close();
    const errors = server.serverErrors;
    await server.stop();
    expect(errors).toEqual([]);
  });

  it('delivers every record exactly once whatever the faults', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fault, { minLength: 1, maxLength: 12 }),
        fc.array(step, { minLength: 3, maxLength: 25 }),
        async (faults, steps) => {
          run += 1;
          const candidateNumber = `9${String(run).padStart(3, '0')}`;
          await insertCandidate(server.db.storage.db, server.exam.id, {
            candidateNumber,
            name: 'Fault',
            personalCode: `code-${run}`,
          });
          proxy.setPlan([]);
          // Dropped requests wait out the timeout: a short one, retried as a client would.
          const client = await testClient(server, proxy.url, {
            tuning: { heartbeatIntervalMs: 150 },
            requestTimeoutMs: 500,
          });
          try {
            const { session } = client;
            await signInPatiently(session, {
              examCode: 'TEST-1',
              candidateNumber,
              personalCode: `code-${run}`,
            });
            await session.startExam();
            proxy.setPlan(faults);
            for (const { text, leaving, pauseMs } of steps) {
              await session.saveAnswer('q2', { type: 'short-text', text }, leaving);
              if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
            }
            await session.submit();
            await until(
              () => proxy.pending === 0 && session.state().phase === 'submitted',
              'the receipt',
            );
            await until(() => drained(session), 'the drain');
            await session.sync.outbox.settled();

            const journal = await session.sync.journal.allRecords();
            const stored = await storedRecords(server, session.journalId!);
            expect(stored).toEqual(
              journal.slice(0, stored.length).map(({ seq, hash }) => ({ seq, hash })),
            );
            // Only nonces journaled after the last acknowledgements may wait for the next upload.
            const waiting = journal.slice(stored.length).map((record) => record.kind);
            expect(waiting.filter((kind) => kind !== 'sync.nonce')).toEqual([]);
            const quarantined = await server.db.storage.db
              .selectFrom('quarantine')
              .select('seq')
              .where('journal_id', '=', session.journalId!)
              .execute();
            expect(quarantined).toEqual([]);
            const last = steps.at(-1)!.text;
            expect(session.state().receiptHash).toBe(
              answersHash({ q2: { type: 'short-text', text: last } }),
            );
            expect(session.state().problem).toBeNull();
          } finally {
            await client.cleanup();
          }
        },
      ),
      { numRuns: 15, endOnFailure: true },
    );
    // The faults really happened: every kind reached some connection.
    expect(new Set(proxy.applied)).toEqual(new Set(['pass', 'refuse', 'drop', 'delay', 'cut']));
  }, 240_000);
});
