import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { STAFF_API_PREFIX, type CandidateRow } from '../../src/common/staff-api';
import { SessionError } from '../../src/main/session/session-error';
import { candidateDeadline } from '../../src/server/sync/deadline';
import {
  listeningServer,
  testClient,
  until,
  type ListeningServer,
  type TestClient,
} from '../support/client-session';
import { staffCookie } from '../support/staff';

const MINUTE = 60_000;

/**
 * A pause stops the candidate's clock and gives the time back, on the laptop and on the server
 * alike: one deadline rule, whatever mix of extra time, added time and pauses.
 */
describe('pause with time credit', () => {
  let server: ListeningServer;
  let client: TestClient;
  let candidateId: string;
  let cookie: string;

  beforeEach(async () => {
    server = await listeningServer();
    client = await testClient(server, server.url);
    // An hour before the close, with 30 minutes' extra time: the close decides the deadline.
    server.clock.now = server.exam.closesAt - 60 * MINUTE;
    const candidate = await server.db.storage.db
      .updateTable('candidates')
      .set({ extra_minutes: 30 })
      .where('candidate_number', '=', '1001')
      .returning('id')
      .executeTakeFirstOrThrow();
    candidateId = candidate.id;
    ({ cookie } = await staffCookie(server.app, server.db.storage, 'i@vakt.test', 'admin'));
  });

  afterEach(async () => {
    await client.cleanup();
    const errors = server.serverErrors;
    await server.stop();
    expect(errors).toEqual([]);
  });

  /** The server has heard the exam runs (a pause needs a running clock). */
  const running = () =>
    expect
      .poll(async () => {
        const row = await server.db.storage.db
          .selectFrom('journals')
          .select('status')
          .where('candidate_id', '=', candidateId)
          .executeTakeFirst();
        return row?.status;
      })
      .toBe('in-progress');

  const instruct = (payload: Record<string, unknown>) =>
    server.app.inject({
      method: 'POST',
      url: `${STAFF_API_PREFIX}/exams/${server.exam.id}/candidates/${candidateId}/instructions`,
      headers: { cookie },
      payload,
    });

  it('stops the clock while paused and moves both deadlines by the pause, to the millisecond', async () => {
    const { session } = client;
    await session.signIn({ examCode: 'TEST-1', candidateNumber: '1001', personalCode: 'secret-1' });
    const { deadline } = await session.startExam();
    expect(deadline).toBe(server.exam.closesAt + 30 * MINUTE);
    await running();

    expect((await instruct({ kind: 'add-time', minutes: 15 })).statusCode).toBe(200);
    const pausedAt = server.clock.now;
    expect((await instruct({ kind: 'pause' })).statusCode).toBe(200);
    // Paused twice is refused, with a reason.
    const again = await instruct({ kind: 'pause' });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: { code: 'already-paused' } });
    await until(() => session.state().phase === 'paused', 'the pause');
    // The countdown stands at what was left when the pause was given.
    expect(session.state().pausedAt).toBe(pausedAt);
    await expect(
      session.saveAnswer('q2', { type: 'short-text', text: 'while paused' }),
    ).rejects.toThrow(SessionError);

    // A fire alarm: 70 seconds on the server's clock.
    server.clock.now += 70_000;
    expect((await instruct({ kind: 'resume' })).statusCode).toBe(200);
    await until(() => session.state().phase === 'in-progress', 'the resume');
    const expected = server.exam.closesAt + (30 + 15) * MINUTE + 70_000;
    expect(session.state().deadline).toBe(expected);
    expect(await candidateDeadline(server.db.storage.db, server.exam, candidateId)).toBe(expected);
    expect(session.state().pausedAt).toBeNull();
    // The invigilator's list shows the same end time.
    await expect
      .poll(async () => {
        const reply = await server.app.inject({
          url: `${STAFF_API_PREFIX}/exams/${server.exam.id}/candidates`,
          headers: { cookie },
        });
        return reply
          .json<{ candidates: CandidateRow[] }>()
          .candidates.find((row) => row.id === candidateId)?.endsAt;
      })
      .toBe(expected);

    // No pause to end: refused.
    const none = await instruct({ kind: 'resume' });
    expect(none.json()).toMatchObject({ error: { code: 'not-paused' } });

    // Both are on the journal, for the timeline.
    const kinds = (await session.sync.journal.allRecords()).map((record) => record.kind);
    expect(kinds).toContain('exam.paused');
    expect(kinds).toContain('exam.resumed');
  });

  it('keeps the pause across a restart of the laptop, and the deadline after it', async () => {
    const { session } = client;
    await session.signIn({ examCode: 'TEST-1', candidateNumber: '1001', personalCode: 'secret-1' });
    await session.startExam();
    await running();
    await instruct({ kind: 'pause' });
    await until(() => session.state().phase === 'paused', 'the pause');
    await session.sync.heartbeat.stop();
    await session.sync.outbox.close();

    const restarted = client.restart();
    expect(await restarted.resume()).toBe(true);
    expect(restarted.state()).toMatchObject({ phase: 'paused', pausedAt: server.clock.now });
    server.clock.now += 5 * MINUTE;
    await instruct({ kind: 'resume' });
    await until(() => restarted.state().phase === 'in-progress', 'the resume after a restart');
    expect(restarted.state().deadline).toBe(server.exam.closesAt + 35 * MINUTE);
  });
});
