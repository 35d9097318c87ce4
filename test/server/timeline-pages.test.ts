import { describe, expect, it } from 'vitest';

import { STAFF_API_PREFIX, TIMELINE_PAGE, type TimelinePage } from '../../src/common/staff-api';
import { DIALECTS } from '../support/databases';
import { ExamClient } from '../support/exam-client';
import { candidateIdOf, serverSuite } from '../support/server';
import { staffCookie } from '../support/staff';

/**
 * A candidate page reads the timeline a page at a time and then only what changed: a long exam
 * is not reloaded whole on every event.
 */
describe.each(DIALECTS)('timeline pages on %s', (dialect) => {
  const suite = serverSuite(dialect);

  it('gives the newest page, older pages on request, then only what changed', async () => {
    const { server, db } = suite;
    const { cookie } = await staffCookie(server.app, db.storage, 'admin@vakt.test', 'admin');
    const client = new ExamClient(server.app);
    await client.signIn();
    await client.fetchPackage();
    client.append('exam.started', { deadline: server.clock.now + 3_600_000 });
    // Four uploads of 200 events, a second apart on the server's clock.
    let sent = 0;
    for (let upload = 0; upload < 4; upload += 1) {
      for (let i = 0; i < 200; i += 1) client.append('network.offline', {});
      server.clock.now += 1_000;
      expect((await client.sync(client.records.slice(sent))).statusCode).toBe(200);
      sent = client.records.length - 1; // the nonce the ack journaled goes with the next
    }
    const candidateId = await candidateIdOf(db.storage, '1001');
    const read = async (query = '') => {
      const reply = await server.app.inject({
        url: `${STAFF_API_PREFIX}/exams/${server.exam.id}/candidates/${candidateId}/timeline${query}`,
        headers: { cookie },
      });
      expect(reply.statusCode, reply.body).toBe(200);
      return reply.json<TimelinePage>();
    };
    const keys = (page: TimelinePage) =>
      page.entries.map((entry) => `${entry.journalId}:${entry.seq}`);

    // The newest page: whole uploads only, so 600 (three uploads) for a page of 500.
    const newest = await read();
    expect(TIMELINE_PAGE).toBe(500);
    expect(newest.entries).toHaveLength(600);
    expect(newest.more).toBe(true);
    const oldest = newest.entries[0]!.receivedAt;
    expect(newest.entries.every((entry) => entry.receivedAt >= oldest)).toBe(true);

    // The page before it: the first upload and what came before it; nothing twice, nothing missed.
    const earlier = await read(`?before=${oldest}`);
    expect(earlier.more).toBe(false);
    expect(earlier.entries.every((entry) => entry.receivedAt < oldest)).toBe(true);
    const all = [...keys(earlier), ...keys(newest)];
    expect(new Set(all).size).toBe(all.length);
    expect(all.filter((key) => key.startsWith(client.journalId))).toHaveLength(
      client.records.filter((record) => !['sync.nonce', 'answer.saved'].includes(record.kind))
        .length,
    );

    // Later: a review of an old entry and one new upload. Asked since the last read, only those.
    server.clock.now += 60_000;
    const old = earlier.entries.find((entry) => entry.kind === 'network.offline')!;
    const review = await server.app.inject({
      method: 'POST',
      url: `${STAFF_API_PREFIX}/exams/${server.exam.id}/candidates/${candidateId}/reviews`,
      headers: { cookie },
      payload: { journalId: old.journalId, seq: old.seq, decision: 'note', comment: 'Wi-Fi' },
    });
    expect(review.statusCode).toBe(200);
    const fresh = client.append('network.online', { offlineMs: 5_000 });
    expect((await client.sync(client.records.slice(sent))).statusCode).toBe(200);
    const changed = await read(`?since=${newest.asOf + 1}`);
    expect(changed.entries.map((entry) => [entry.seq, entry.reviews.length])).toEqual([
      [old.seq, 1],
      [fresh.seq, 0],
    ]);
  });

  it('refuses a window it cannot read, with a clear answer', async () => {
    const { server, db } = suite;
    const { cookie } = await staffCookie(server.app, db.storage, 'admin@vakt.test', 'admin');
    const candidateId = await candidateIdOf(db.storage, '1001');
    for (const query of ['?since=yesterday', '?before=-1', '?since=1&before=2']) {
      const reply = await server.app.inject({
        url: `${STAFF_API_PREFIX}/exams/${server.exam.id}/candidates/${candidateId}/timeline${query}`,
        headers: { cookie },
      });
      expect(reply.statusCode, query).toBe(400);
    }
  });
});
