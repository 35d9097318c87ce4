import { describe, expect, it } from 'vitest';

import { STAFF_API_PREFIX, type CandidateRow, type SignInSlip } from '../../src/common/staff-api';
import { insertCandidate } from '../../src/server/repositories/candidates';
import { findExam } from '../../src/server/repositories/exams';
import { DIALECTS } from '../support/databases';
import { ExamClient } from '../support/exam-client';
import { serverSuite } from '../support/server';
import { staffCookie } from '../support/staff';

/** An exam's candidates fixed on the day: new codes and slips, details, a mistaken row removed. */
describe.each(DIALECTS)('the roster on %s', (dialect) => {
  const suite = serverSuite(dialect);

  async function admin() {
    const { server, db } = suite;
    const { cookie } = await staffCookie(server.app, db.storage, 'admin@vakt.test', 'admin');
    const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, payload?: object) =>
      server.app.inject({
        method,
        url: `${STAFF_API_PREFIX}/exams/${server.exam.id}${path}`,
        headers: { cookie },
        ...(payload ? { payload: payload as Record<string, unknown> } : {}),
      });
    return Object.assign(call, { cookie });
  }
  const rows = async (call: Awaited<ReturnType<typeof admin>>) =>
    (await call('GET', '/candidates')).json<{ candidates: CandidateRow[] }>().candidates;

  it('issues new personal codes: the old one stops working, the slip signs in', async () => {
    const { server, db } = suite;
    const call = await admin();
    const reply = await call('POST', '/codes', { candidates: 'all' });
    const { slips } = reply.json<{ slips: SignInSlip[] }>();
    expect(slips.map((slip) => slip.candidateNumber)).toEqual(['1001', '1002']);
    expect(slips[0]!.personalCode).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{2}$/);

    const old = new ExamClient(server.app);
    expect((await old.signIn()).statusCode).toBe(401);
    const fresh = new ExamClient(server.app, {
      examCode: 'TEST-1',
      candidateNumber: '1001',
      personalCode: slips[0]!.personalCode,
    });
    expect((await fresh.signIn()).statusCode).toBe(200);

    // Who got a code is audited; the codes themselves never are.
    const audited = await db.storage.db
      .selectFrom('audit_log')
      .select('detail')
      .where('action', '=', 'candidates.new-codes')
      .executeTakeFirstOrThrow();
    expect(audited.detail).toBe('2: 1001 1002');
    expect(JSON.stringify(audited)).not.toContain(slips[0]!.personalCode);
  });

  it('corrects a name and the extra time, and removes only a candidate who never signed in', async () => {
    const { server, db } = suite;
    const call = await admin();
    const [kari, ola] = await rows(call);
    expect(
      (await call('PATCH', `/candidates/${kari!.id}`, { name: 'Kari N.', extraMinutes: 30 }))
        .statusCode,
    ).toBe(200);
    expect((await rows(call))[0]).toMatchObject({ name: 'Kari N.', extraMinutes: 30 });
    expect((await call('PATCH', `/candidates/${kari!.id}`, { extraMinutes: -5 })).statusCode).toBe(
      400,
    );

    // Ola signed in: his data stays. A row added by mistake goes, with a room action it got.
    await new ExamClient(server.app, {
      examCode: 'TEST-1',
      candidateNumber: '1002',
      personalCode: 'secret-2',
    }).signIn();
    // His extra time is in the exam his laptop holds: fixed now, Add time instead.
    const extra = await call('PATCH', `/candidates/${ola!.id}`, { extraMinutes: 15 });
    expect(extra.json()).toMatchObject({ error: { code: 'candidate-started' } });
    const kept = await call('DELETE', `/candidates/${ola!.id}`);
    expect(kept.statusCode).toBe(409);
    expect(kept.json()).toMatchObject({ error: { code: 'has-data' } });
    const mistake = await insertCandidate(db.storage.db, server.exam.id, {
      candidateNumber: '9999',
      name: 'Typo',
      personalCode: 'not-a-real-code',
    });
    await call('POST', '/instructions', { candidates: 'all', kind: 'pause' });
    expect((await call('DELETE', `/candidates/${mistake.id}`)).statusCode).toBe(200);
    expect((await rows(call)).map((row) => row.candidateNumber)).toEqual(['1001', '1002']);
    expect((await call('DELETE', `/candidates/${mistake.id}`)).statusCode).toBe(404);
  });

  it('renames an exam at any time, but moves its window only before anyone signs in', async () => {
    const { server } = suite;
    const call = await admin();
    const window = { opensAt: '2027-06-01T08:30:00Z', closesAt: '2027-06-01T12:30:00Z' };
    expect((await call('PATCH', '', { title: 'Maths, resit', window })).statusCode).toBe(200);
    // The duration, alone (the rest of the policy stays), and in bounds.
    expect((await call('PATCH', '', { durationMinutes: 0 })).statusCode).toBe(400);
    expect((await call('PATCH', '', { durationMinutes: 150 })).statusCode).toBe(200);
    const exam = await findExam(suite.db.storage.db, server.exam.id);
    expect(exam!.policy.timing.durationMinutes).toBe(150);
    expect(exam!.policy.heartbeatIntervalMs).toBe(server.exam.policy.heartbeatIntervalMs);

    await new ExamClient(server.app).signIn();
    const moved = await call('PATCH', '', { window });
    expect(moved.statusCode).toBe(409);
    expect(moved.json()).toMatchObject({ error: { code: 'exam-started' } });
    expect((await call('PATCH', '', { policy: { spellcheck: true } })).statusCode).toBe(409);
    expect((await call('PATCH', '', { durationMinutes: 240 })).statusCode).toBe(409);
    expect((await call('PATCH', '', { title: 'Maths, resit (room 2)' })).statusCode).toBe(200);
    const listed = await server.app.inject({
      url: `${STAFF_API_PREFIX}/exams`,
      headers: { cookie: call.cookie },
    });
    expect(listed.json()).toMatchObject({
      exams: [{ title: 'Maths, resit (room 2)', durationMinutes: 150 }],
    });
  });
});
