import { describe, expect, it } from 'vitest';

import {
  STAFF_API_PREFIX,
  type CandidateRow,
  type TimelineEntry,
} from '../../src/common/staff-api';
import { DIALECTS } from '../support/databases';
import { ExamClient } from '../support/exam-client';
import { serverSuite } from '../support/server';
import { staffCookie } from '../support/staff';

/**
 * A program seen and closed during the checks before the start is not an exam flag: it is
 * counted apart, "before the start", and marked so on the timeline.
 */
describe.each(DIALECTS)('findings before the start on %s', (dialect) => {
  const suite = serverSuite(dialect);

  it('counts a preflight-only program apart from the exam flags', async () => {
    const { server, db } = suite;
    const { cookie } = await staffCookie(server.app, db.storage, 'admin@vakt.test', 'admin');
    const client = new ExamClient(server.app);
    await client.signIn();
    await client.fetchPackage();
    client.append('session.started', { examId: server.exam.id, clientVersion: '1.0.0' });
    const early = client.append('process.started', {
      name: 'AnyDesk',
      category: 'remote-access',
      action: 'terminate',
    });
    client.append('process.stopped', { name: 'AnyDesk', category: 'remote-access' });
    client.append('preflight.passed', { overridden: false });
    client.append('exam.started', { deadline: server.clock.now + 3 * 3_600_000 });
    const late = client.append('focus.regained', { durationMs: 12_000 });
    expect((await client.sync([...client.records])).statusCode).toBe(200);

    const get = (path: string) =>
      server.app.inject({
        url: `${STAFF_API_PREFIX}/exams/${server.exam.id}${path}`,
        headers: { cookie },
      });
    const rows = (await get('/candidates')).json<{ candidates: CandidateRow[] }>().candidates;
    const row = rows.find((candidate) => candidate.candidateNumber === '1001')!;
    expect(row.flags).toEqual({ high: 0, medium: 1, low: 0 });
    expect(row.beforeStart).toBe(1);

    const { entries } = (await get(`/candidates/${row.id}/timeline`)).json<{
      entries: TimelineEntry[];
    }>();
    const at = (seq: number) => entries.find((entry) => entry.seq === seq)!;
    expect(at(early.seq)).toMatchObject({ severity: 'high', beforeStart: true });
    expect(at(late.seq)).toMatchObject({ severity: 'medium', beforeStart: false });
  });

  it('says what keeps a candidate in the checks, until the exam starts', async () => {
    const { server, db } = suite;
    const { cookie } = await staffCookie(server.app, db.storage, 'admin@vakt.test', 'admin');
    const client = new ExamClient(server.app);
    await client.signIn();
    await client.fetchPackage();
    const row = async () =>
      (
        await server.app.inject({
          url: `${STAFF_API_PREFIX}/exams/${server.exam.id}/candidates`,
          headers: { cookie },
        })
      )
        .json<{ candidates: CandidateRow[] }>()
        .candidates.find((candidate) => candidate.candidateNumber === '1001')!;
    const blockers = [
      { code: 'program', name: 'Discord' },
      { code: 'too-many-displays', connected: 2, allowed: 1 },
    ] as const;
    client.append('preflight.blocked', { blockers: [...blockers] });
    expect((await client.sync([...client.records])).statusCode).toBe(200);
    expect((await row()).blockers).toEqual(blockers);

    // Discord closed: only the display is left.
    client.append('preflight.blocked', { blockers: [blockers[1]] });
    expect((await client.sync([...client.records])).statusCode).toBe(200);
    expect((await row()).blockers).toEqual([blockers[1]]);

    // The invigilator lets them start despite the display: nothing blocks any more.
    client.append('preflight.passed', { overridden: true });
    client.append('exam.started', { deadline: server.clock.now + 3_600_000 });
    expect((await client.sync([...client.records])).statusCode).toBe(200);
    expect((await row()).blockers).toEqual([]);

    // A malformed blocker list is refused with a clear answer, not stored.
    const bad = new ExamClient(server.app, {
      examCode: 'TEST-1',
      candidateNumber: '1002',
      personalCode: 'secret-2',
    });
    await bad.signIn();
    bad.append('preflight.blocked', {
      blockers: [{ code: 'program', name: 'x'.repeat(101) }],
    } as never);
    const refused = await bad.sync([...bad.records]);
    expect(refused.statusCode).toBe(400);
    expect(refused.json<{ error: { message: string } }>().error.message).toMatch(/blockers/);
  });
});
