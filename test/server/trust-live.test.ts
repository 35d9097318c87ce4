import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { STAFF_API_PREFIX, type LiveEvent } from '../../src/common/staff-api';
import { LIVE_FLUSH_MS } from '../../src/server/live/live-feed';
import { insertCandidate } from '../../src/server/repositories/candidates';
import { LIVE_RECHECK_MS } from '../../src/server/routes/staff-live';
import { DIALECTS, freshStorage, type TestStorage } from '../support/databases';
import { ExamClient } from '../support/exam-client';
import { openLiveStream } from '../support/live-stream';
import { candidateIdOf, testServer, type TestServer } from '../support/server';
import { staffCookie } from '../support/staff';

/** Server trust: a live stream ends when its reader loses access, and sign-ins race safely. */
describe.each(DIALECTS)('live streams and journals on %s', (dialect) => {
  let db: TestStorage;
  let server: TestServer;
  let base: string;
  let admin: string;

  beforeEach(async () => {
    db = await freshStorage(dialect);
    server = await testServer(db.storage);
    base = await server.app.listen({ host: '127.0.0.1', port: 0 });
    admin = (await staffCookie(server.app, db.storage, 'admin@vakt.test', 'admin')).cookie;
  });

  afterEach(async () => {
    const errors = server.serverErrors;
    await server.app.close();
    await db.cleanup();
    expect(errors).toEqual([]);
  });

  /** Opens the exam's event stream as `cookie`. */
  const openStream = (cookie: string) => openLiveStream(base, server.exam.id, cookie);

  const signInCandidate = async (candidateNumber: string, personalCode: string) =>
    new ExamClient(server.app, { examCode: 'TEST-1', candidateNumber, personalCode }).signIn();

  it('stops delivering to an invigilator taken off the exam', async () => {
    const invigilator = await staffCookie(server.app, db.storage, 'inv@vakt.test', 'invigilator', [
      server.exam.id,
    ]);
    const stream = await openStream(invigilator.cookie);
    await signInCandidate('1001', 'secret-1');
    await expect.poll(() => stream.text()).toContain('event: candidate');

    const removed = await server.app.inject({
      method: 'DELETE',
      url: `${STAFF_API_PREFIX}/exams/${server.exam.id}/invigilators/${invigilator.id}`,
      headers: { cookie: admin },
    });
    expect(removed.statusCode).toBe(200);
    server.clock.now += LIVE_RECHECK_MS + 1;
    await signInCandidate('1002', 'secret-2');
    await expect.poll(() => stream.closed()).toBe(true);
    expect(stream.text()).toContain('event: end');
    expect(stream.text().match(/event: candidate/g)).toHaveLength(1);
  });

  it('stops delivering after the staff member signs out', async () => {
    const stream = await openStream(admin);
    const signOut = await server.app.inject({
      method: 'POST',
      url: `${STAFF_API_PREFIX}/sign-out`,
      headers: { cookie: admin },
    });
    expect(signOut.statusCode).toBe(200);
    server.clock.now += LIVE_RECHECK_MS + 1;
    await signInCandidate('1001', 'secret-1');
    await expect.poll(() => stream.closed()).toBe(true);
    expect(stream.text()).not.toContain('event: candidate');
  });

  it('sends a burst of changes as one event naming each candidate once', async () => {
    const stream = await openStream(admin);
    const first = await candidateIdOf(db.storage, '1001');
    const second = await candidateIdOf(db.storage, '1002');
    for (let i = 0; i < 30; i += 1) {
      server.feed.changed(server.exam.id, first);
      server.feed.changed(server.exam.id, second);
    }
    await expect.poll(() => stream.text()).toContain('event: candidates');
    await new Promise((resolve) => setTimeout(resolve, 3 * LIVE_FLUSH_MS));
    const events = stream
      .text()
      .split('\n\n')
      .filter((block) => block.startsWith('event: candidates'))
      .map((block) => JSON.parse(block.split('data: ')[1]!) as LiveEvent);
    expect(events).toEqual([
      { type: 'candidates', examId: server.exam.id, candidateIds: [first, second] },
    ]);
  });

  it('makes only one of two simultaneous first sign-ins the active journal', async () => {
    for (let round = 0; round < 5; round += 1) {
      const number = round === 0 ? '1001' : `20${round}`;
      if (round > 0) {
        await insertCandidate(db.storage.db, server.exam.id, {
          candidateNumber: number,
          name: 'Race',
          personalCode: 'race-code-1',
        });
      }
      const code = round === 0 ? 'secret-1' : 'race-code-1';
      const answers = await Promise.all([
        signInCandidate(number, code),
        signInCandidate(number, code),
      ]);
      const states = answers.map((answer) => answer.json<{ journalState: string }>().journalState);
      expect(states.sort()).toEqual(['active', 'awaiting-approval']);
    }
  });
});
