import { performance } from 'node:perf_hooks';

import { CLIENT_ROUTES } from '../src/common/api';
import { drained, listeningServer, testClient, until } from '../test/support/client-session';
import { DIALECTS } from '../test/support/databases';
import { FaultProxy } from '../test/support/fault-proxy';
import { signInOverHttp } from '../test/support/http-client';

import { makeChain } from './chain-records';
import { report } from './report';

/**
 * A client that sat offline with 10,000 unsynced records reconnects: how fast its outbox drains
 * to a local server (axios, bounded batches, an anchor and a nonce per acknowledgement),
 * against the server's bulk ingest rate for batches of 500 posted directly. The ratio
 * drain/ingest is the figure to watch. Catching up after short outages is catch-up.bench.ts.
 */
const RECORDS = 10_000;
const BATCH = 500;

for (const dialect of DIALECTS) {
  const server = await listeningServer(dialect);
  const proxy = await FaultProxy.start(server.port);
  const client = await testClient(server, proxy.url, {
    tuning: { heartbeatIntervalMs: 60_000, baseDelayMs: 5, maxDelayMs: 50 },
  });
  const { session } = client;
  await session.signIn({ examCode: 'TEST-1', candidateNumber: '1001', personalCode: 'secret-1' });
  await session.startExam();
  await until(() => drained(session), 'the first upload');
  proxy.offline = true;
  const base = session.sync.journal.headSeq;
  const pushesAtStart = client.states.length;
  for (let i = 0; i < RECORDS; i += 100) {
    await Promise.all(
      Array.from({ length: 100 }, (_, j) =>
        session.record('focus.regained', { durationMs: i + j }),
      ),
    );
  }
  const unsynced = session.state().unsyncedRecords;
  if (unsynced < RECORDS) throw new Error(`expected ${RECORDS} unsynced records, have ${unsynced}`);

  // Let the last coalesced push of the offline writes land.
  await new Promise((resolve) => setTimeout(resolve, 10));
  const offlinePushes = client.states.length - pushesAtStart;
  proxy.offline = false;
  const pushesBefore = client.states.length;
  let started = performance.now();
  session.sync.outbox.retryNow();
  await until(() => drained(session), 'the drain', 600_000);
  const drainSeconds = (performance.now() - started) / 1000;
  const sent = session.sync.journal.headSeq - base;
  const drainRate = sent / drainSeconds;
  const pushes = client.states.length - pushesBefore;

  // The server's own bulk rate: the same volume posted directly in batches of 500.
  const other = await signInOverHttp(server.url, server.publicUrl, {
    examCode: 'TEST-1',
    candidateNumber: '1002',
    personalCode: 'secret-2',
  });
  const headers = other.headers(CLIENT_ROUTES.records);
  const chain = makeChain(RECORDS, 'focus.regained', (i) => ({ durationMs: i }));
  started = performance.now();
  for (let i = 0; i < chain.length; i += BATCH) {
    const response = await fetch(`${server.url}${CLIENT_ROUTES.records}`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ journalId: other.journalId, records: chain.slice(i, i + BATCH) }),
    });
    if (response.status !== 200) throw new Error(`upload failed: ${response.status}`);
  }
  const ingestRate = RECORDS / ((performance.now() - started) / 1000);

  report('drain', `${dialect} drain of ${sent} records`, drainSeconds, 's');
  report('drain', `${dialect} drain rate`, drainRate, 'records/s');
  report('drain', `${dialect} server bulk ingest rate`, ingestRate, 'records/s');
  report('drain', `${dialect} drain / ingest`, drainRate / ingestRate, 'ratio');
  report(
    'drain',
    `${dialect} state pushes to the UI while journaling offline`,
    offlinePushes,
    'pushes',
  );
  report('drain', `${dialect} state pushes to the UI during the drain`, pushes, 'pushes');

  await client.cleanup();
  await proxy.close();
  await server.stop();
}
