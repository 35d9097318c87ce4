import { randomUUID } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { canonicalJson } from '../../src/common/canonical-json';
import { offlineAfterMs } from '../../src/common/liveness';
import { MAX_ROW_IDS, STAFF_API_PREFIX, type CandidateRow } from '../../src/common/staff-api';
import { LIVE_FLUSH_MS } from '../../src/server/live/live-feed';
import { DIALECTS } from '../support/databases';
import { ExamClient } from '../support/exam-client';
import { openLiveStream } from '../support/live-stream';
import { serverSuite } from '../support/server';
import { staffCookie } from '../support/staff';

/**
 * A laptop that goes quiet sends nothing that could tell a dashboard: the server notices the
 * silence itself, by the exam's own heartbeat, and tells open dashboards.
 */
describe.each(DIALECTS)('silence on %s', (dialect) => {
  const suite = serverSuite(dialect);

  async function setup(heartbeatIntervalMs: number) {
    const { server, db } = suite;
    await db.storage.db
      .updateTable('exams')
      .set({ policy: canonicalJson({ ...server.exam.policy, heartbeatIntervalMs }) })
      .where('id', '=', server.exam.id)
      .execute();
    const { cookie } = await staffCookie(server.app, db.storage, 'admin@vakt.test', 'admin');
    const base = await server.app.listen({ host: '127.0.0.1', port: 0 });
    const stream = await openLiveStream(base, server.exam.id, cookie);
    /** Candidate events heard since `from` (a length of the stream's text). */
    const heard = (from: number) => stream.candidateEvents(from);
    const at = () => stream.text().length;
    const client = new ExamClient(server.app);
    expect((await client.signIn()).statusCode).toBe(200);
    await client.fetchPackage();
    expect((await client.heartbeat(0)).statusCode).toBe(200);
    // Heard: the sign-in and the heartbeat (one event, or two if a flush fell between).
    await expect.poll(() => heard(0)).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 3 * LIVE_FLUSH_MS));
    const state = async () => {
      const reply = await server.app.inject({
        url: `${STAFF_API_PREFIX}/exams/${server.exam.id}/candidates`,
        headers: { cookie },
      });
      return reply.json<{ candidates: CandidateRow[] }>().candidates[0]!.state;
    };
    return { client, state, at, heard, close: () => stream.cancel() };
  }

  it("turns a quiet laptop offline on an open dashboard, by the exam's heartbeat", async () => {
    const heartbeatIntervalMs = 2_000;
    const { client, state, at, heard, close } = await setup(heartbeatIntervalMs);
    expect(await state()).toBe('in-progress');

    // Just short of three missed beats and the grace: not offline, and nothing said.
    const mark = at();
    suite.server.clock.now += offlineAfterMs(heartbeatIntervalMs) - 1;
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(heard(mark)).toBe(0);
    expect(await state()).toBe('in-progress');

    // Past it: the server's own sweep tells the dashboard, with no request from anyone.
    suite.server.clock.now += 2;
    await expect.poll(() => heard(mark)).toBe(1);
    expect(await state()).toBe('offline');

    // The laptop is back: its heartbeat says so at once.
    const back = at();
    expect((await client.heartbeat(0)).statusCode).toBe(200);
    await expect.poll(() => heard(back)).toBe(1);
    expect(await state()).toBe('in-progress');
    await close();
  });

  it('keeps a 60-second heartbeat live through 40 seconds of silence', async () => {
    const { state, close } = await setup(60_000);
    suite.server.clock.now += 40_000;
    expect(await state()).toBe('in-progress');
    suite.server.clock.now += offlineAfterMs(60_000) - 40_000 + 1;
    expect(await state()).toBe('offline');
    await close();
  });

  it('answers as many rows as one live burst may name, over real HTTP', async () => {
    const { server, db } = suite;
    const { cookie } = await staffCookie(server.app, db.storage, 'admin@vakt.test', 'admin');
    const base = await server.app.listen({ host: '127.0.0.1', port: 0 });
    const list = (count: number) =>
      fetch(
        `${base}${STAFF_API_PREFIX}/exams/${server.exam.id}/candidates?ids=${Array.from({ length: count }, () => randomUUID()).join(',')}`,
        { headers: { cookie } },
      );
    // Under Node's header limit (a 500-id list was answered 431, and its rows stayed stale).
    expect((await list(MAX_ROW_IDS)).status).toBe(200);
    expect((await list(MAX_ROW_IDS + 1)).status).toBe(400);
  });
});
