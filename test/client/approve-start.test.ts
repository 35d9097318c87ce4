import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { STAFF_API_PREFIX, type CandidateDetail } from '../../src/common/staff-api';
import {
  listeningServer,
  testClient,
  until,
  type ListeningServer,
  type TestClient,
} from '../support/client-session';
import { candidateIdOf } from '../support/server';
import { staffCookie } from '../support/staff';

/**
 * "Allow start despite checks" lets the candidate start; it does not start their clock. A
 * candidate away from the desk when the invigilator approves loses no time.
 */
describe('an invigilator lets a candidate start despite the checks', () => {
  let server: ListeningServer;
  let client: TestClient;

  beforeEach(async () => {
    server = await listeningServer();
    client = await testClient(server, server.url);
  });

  afterEach(async () => {
    await client.cleanup();
    const errors = server.serverErrors;
    await server.stop();
    expect(errors).toEqual([]);
  });

  it('waits for the candidate to press Start before the time runs', async () => {
    const { session } = client;
    await session.signIn({ examCode: 'TEST-1', candidateNumber: '1001', personalCode: 'secret-1' });
    const candidateId = await candidateIdOf(server.db.storage, '1001');
    const { cookie } = await staffCookie(server.app, server.db.storage, 'i@vakt.test', 'admin');
    const path = `${STAFF_API_PREFIX}/exams/${server.exam.id}/candidates/${candidateId}`;
    const approved = await server.app.inject({
      method: 'POST',
      url: `${path}/instructions`,
      headers: { cookie },
      payload: { kind: 'approve-preflight' },
    });
    expect(approved.statusCode, approved.body).toBe(200);

    await until(() => session.state().startApproved, 'the approval');
    // Applied (the invigilator sees it), and still in the checks, with no clock running.
    await expect
      .poll(async () => {
        const reply = await server.app.inject({ url: path, headers: { cookie } });
        return reply.json<CandidateDetail>().instructions.every((i) => i.appliedAt !== null);
      })
      .toBe(true);
    expect(session.state().phase).toBe('preflight');
    expect(session.state().deadline).toBeNull();

    const pressed = Date.now();
    await session.startExam();
    expect(session.state().phase).toBe('in-progress');
    expect(session.state().startApproved).toBe(false);
    // The time counts from the press (a second's leeway for the clocks), not the approval.
    const duration = server.exam.policy.timing.durationMinutes * 60_000;
    expect(session.state().deadline!).toBeGreaterThanOrEqual(pressed + duration - 1_000);
    const passed = (await session.sync.journal.allRecords()).filter(
      (record) => record.kind === 'preflight.passed',
    );
    expect(passed.map((record) => record.payload)).toEqual([{ overridden: true }]);
  });
});
