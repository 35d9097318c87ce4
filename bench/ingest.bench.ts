import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';

import { CLIENT_ROUTES } from '../src/common/api';
import { canonicalJson } from '../src/common/canonical-json';
import { openJournal } from '../src/server/repositories/journals';
import { DIALECTS, freshStorage } from '../test/support/databases';
import { TEST_PUBLIC_URL } from '../test/support/exam-client';
import { signInOverHttp } from '../test/support/http-client';
import { testServer } from '../test/support/server';

import { makeChain } from './chain-records';
import { report } from './report';

/**
 * Bulk ingest through the candidate API on a loopback port (HTTP, validation, chain checks,
 * one transaction per batch) against raw multi-row inserts of the same rows into the same
 * database. The ratio api/raw is the figure to watch.
 */
const RECORDS = 20_000;
const BATCH = 500;

for (const dialect of DIALECTS) {
  const db = await freshStorage(dialect);
  const server = await testServer(db.storage);
  const base = await server.app.listen({ host: '127.0.0.1', port: 0 });
  const client = await signInOverHttp(base, TEST_PUBLIC_URL);
  const { journalId } = client;
  const headers = client.headers(CLIENT_ROUTES.records);

  const chain = makeChain(RECORDS, 'answer.saved', (i) => ({
    questionId: 'q2',
    value: { type: 'short-text', text: `answer ${i}` },
  }));
  // The bodies are made before the clock starts: a laptop serialises its own batches, so that
  // is no work of the server's (the bench's client shares this process).
  const bodies: string[] = [];
  for (let i = 0; i < chain.length; i += BATCH)
    bodies.push(JSON.stringify({ journalId, records: chain.slice(i, i + BATCH) }));
  let started = performance.now();
  for (const body of bodies) {
    const response = await fetch(`${base}${CLIENT_ROUTES.records}`, {
      method: 'POST',
      headers,
      body,
    });
    if (response.status !== 200)
      throw new Error(`upload failed: ${response.status} ${await response.text()}`);
  }
  const apiRate = RECORDS / ((performance.now() - started) / 1000);

  const candidate = await db.storage.db
    .selectFrom('candidates')
    .select('id')
    .where('candidate_number', '=', '1002')
    .executeTakeFirstOrThrow();
  const rawJournal = await openJournal(db.storage.db, {
    journalId: randomUUID(),
    candidateId: candidate.id,
    deviceIdHash: 'd'.repeat(64),
    publicKey: 'e'.repeat(64),
    clientVersion: '1.0.0',
    now: 0,
  });
  started = performance.now();
  for (let i = 0; i < chain.length; i += BATCH) {
    const rows = chain.slice(i, i + BATCH).map((r) => ({
      journal_id: rawJournal.id,
      seq: r.seq,
      kind: r.kind,
      client_at: r.at,
      mono: r.mono,
      received_at: 0,
      not_before: null,
      payload: canonicalJson(r.payload),
      prev: r.prev,
      hash: r.hash,
    }));
    await db.storage.db
      .transaction()
      .execute((trx) => trx.insertInto('records').values(rows).execute());
    // Acknowledged only once on disk, as the API's batches are (SQLite's group commit).
    await db.storage.durable();
  }
  const rawRate = RECORDS / ((performance.now() - started) / 1000);

  report('ingest', `${dialect}-api-records-per-second`, apiRate, 'records/s');
  report('ingest', `${dialect}-raw-insert-records-per-second`, rawRate, 'records/s');
  report('ingest', `${dialect}-api-to-raw-ratio`, apiRate / rawRate, 'ratio');
  await server.app.close();
  await db.cleanup();
}
