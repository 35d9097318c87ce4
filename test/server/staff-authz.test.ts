import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { parseExamFile } from '../../src/common/exam-file';
import { STAFF_API_PREFIX } from '../../src/common/staff-api';
import { insertCandidate } from '../../src/server/repositories/candidates';
import { insertExam } from '../../src/server/repositories/exams';
import { openLegalHold } from '../../src/server/repositories/legal-holds';
import { STAFF_ROUTES } from '../../src/server/routes/staff';
import { DIALECTS, freshStorage, type TestStorage } from '../support/databases';
import { ExamClient } from '../support/exam-client';
import { undeliveredHandover } from '../support/handovers';
import { testServer, TEST_EXAM, type TestServer } from '../support/server';
import { staffCookie } from '../support/staff';

/**
 * The authorisation matrix: every staff route × anonymous, invigilator of exam A, invigilator
 * of exam B, admin — always against exam A's objects. The table below is written by hand; a
 * route added to STAFF_ROUTES without a row here fails the first test.
 */
type Ids = {
  examA: string;
  candidateA: string;
  journalA: string;
  userB: string;
  /** A staff account no call is made as: admins may disable it, reset it, sign it out. */
  spare: string;
  /** A candidate of exam A who never signs in: admins may give a code, correct, remove. */
  spareCandidate: string;
  n: number;
  handIn: unknown;
  /** An open legal hold (admins may release it once). */
  holdId: string;
  /** An undelivered hand-over (admins may retry or abandon it, as often as they like). */
  handoverId: string;
};
type Row = {
  access: 'signed-in' | 'admin' | 'exam';
  stream?: true;
  request: (ids: Ids) => { url: string; payload?: unknown; headers?: Record<string, string> };
};

const MATRIX: Record<string, Row> = {
  'POST /sign-out': { access: 'signed-in', request: () => ({ url: '/sign-out' }) },
  'GET /me': { access: 'signed-in', request: () => ({ url: '/me' }) },
  'GET /users': { access: 'admin', request: () => ({ url: '/users' }) },
  'POST /users': {
    access: 'admin',
    request: ({ n }) => ({
      url: '/users',
      payload: {
        email: `new${n}@vakt.test`,
        name: 'New',
        role: 'invigilator',
        password: 'a long enough password',
      },
    }),
  },
  'GET /audit': { access: 'admin', request: () => ({ url: '/audit?limit=10' }) },
  'PATCH /users/:userId': {
    access: 'admin',
    request: ({ spare }) => ({ url: `/users/${spare}`, payload: { disabled: true } }),
  },
  'POST /users/:userId/password': {
    access: 'admin',
    request: ({ spare }) => ({
      url: `/users/${spare}/password`,
      payload: { password: 'a long enough password' },
    }),
  },
  'POST /users/:userId/sign-out': {
    access: 'admin',
    request: ({ spare }) => ({ url: `/users/${spare}/sign-out` }),
  },
  'GET /audit/verify': { access: 'admin', request: () => ({ url: '/audit/verify' }) },
  'GET /exams': { access: 'signed-in', request: () => ({ url: '/exams' }) },
  'POST /exams': {
    access: 'admin',
    request: ({ n }) => ({ url: '/exams', payload: { ...TEST_EXAM, code: `NEW-${n}` } }),
  },
  'PATCH /exams/:examId': {
    access: 'admin',
    // Exam A is running (a candidate signed in): its title may change, its rules not.
    request: ({ examA }) => ({ url: `/exams/${examA}`, payload: { title: 'Renamed' } }),
  },
  'GET /exams/:examId/invigilators': {
    access: 'admin',
    request: ({ examA }) => ({ url: `/exams/${examA}/invigilators` }),
  },
  'PUT /exams/:examId/invigilators/:userId': {
    access: 'admin',
    request: ({ examA, userB }) => ({ url: `/exams/${examA}/invigilators/${userB}` }),
  },
  'DELETE /exams/:examId/invigilators/:userId': {
    access: 'admin',
    request: ({ examA, userB }) => ({ url: `/exams/${examA}/invigilators/${userB}` }),
  },
  'POST /exams/:examId/candidates/import': {
    access: 'admin',
    request: ({ examA, n }) => ({
      url: `/exams/${examA}/candidates/import`,
      payload: `candidate_number,name,personal_code\nM${n},Imported,code-${n}\n`,
      headers: { 'content-type': 'text/csv' },
    }),
  },
  'GET /exams/:examId/candidates': {
    access: 'exam',
    request: ({ examA }) => ({ url: `/exams/${examA}/candidates` }),
  },
  'GET /exams/:examId/candidates/:candidateId': {
    access: 'exam',
    request: ({ examA, candidateA }) => ({ url: `/exams/${examA}/candidates/${candidateA}` }),
  },
  'GET /exams/:examId/candidates/:candidateId/timeline': {
    access: 'exam',
    request: ({ examA, candidateA }) => ({
      url: `/exams/${examA}/candidates/${candidateA}/timeline`,
    }),
  },
  'POST /exams/:examId/candidates/:candidateId/reviews': {
    access: 'exam',
    request: ({ examA, candidateA, journalA }) => ({
      url: `/exams/${examA}/candidates/${candidateA}/reviews`,
      payload: {
        journalId: journalA,
        seq: 1,
        decision: 'dismiss',
        comment: 'Alt-tab to the exam again at once',
      },
    }),
  },
  'POST /exams/:examId/candidates/:candidateId/reviews/batch': {
    access: 'exam',
    request: ({ examA, candidateA, journalA }) => ({
      url: `/exams/${examA}/candidates/${candidateA}/reviews/batch`,
      payload: { flags: [{ journalId: journalA, seq: 1 }], decision: 'note', comment: 'Seen' },
    }),
  },
  'POST /exams/:examId/candidates/:candidateId/instructions': {
    access: 'exam',
    request: ({ examA, candidateA }) => ({
      url: `/exams/${examA}/candidates/${candidateA}/instructions`,
      payload: { kind: 'lock' },
    }),
  },
  'PATCH /exams/:examId/candidates/:candidateId': {
    access: 'admin',
    request: ({ examA, spareCandidate }) => ({
      url: `/exams/${examA}/candidates/${spareCandidate}`,
      payload: { extraMinutes: 0 },
    }),
  },
  'DELETE /exams/:examId/candidates/:candidateId': {
    access: 'admin',
    request: ({ examA, spareCandidate }) => ({
      url: `/exams/${examA}/candidates/${spareCandidate}`,
    }),
  },
  'POST /exams/:examId/codes': {
    access: 'admin',
    // Candidate A's own code: the spare candidate is removed by the row before.
    request: ({ examA, candidateA }) => ({
      url: `/exams/${examA}/codes`,
      payload: { candidates: [candidateA] },
    }),
  },
  'POST /exams/:examId/instructions': {
    access: 'exam',
    request: ({ examA }) => ({
      url: `/exams/${examA}/instructions`,
      payload: { candidates: 'all', kind: 'pause' },
    }),
  },
  'GET /exams/:examId/incidents': {
    access: 'exam',
    request: ({ examA }) => ({ url: `/exams/${examA}/incidents` }),
  },
  'GET /exams/:examId/incidents/export': {
    access: 'exam',
    request: ({ examA }) => ({ url: `/exams/${examA}/incidents/export` }),
  },
  'GET /exams/:examId/report.csv': {
    access: 'exam',
    request: ({ examA }) => ({ url: `/exams/${examA}/report.csv` }),
  },
  'POST /exams/:examId/hand-in': {
    access: 'exam',
    request: ({ examA, handIn }) => ({ url: `/exams/${examA}/hand-in`, payload: handIn }),
  },
  'GET /exams/:examId/hand-ins': {
    access: 'exam',
    request: ({ examA }) => ({ url: `/exams/${examA}/hand-ins` }),
  },
  'GET /exams/:examId/events': {
    access: 'exam',
    stream: true,
    request: ({ examA }) => ({ url: `/exams/${examA}/events` }),
  },
  'GET /legal-holds': { access: 'admin', request: () => ({ url: '/legal-holds' }) },
  'GET /retention': { access: 'admin', request: () => ({ url: '/retention' }) },
  'GET /handovers': { access: 'admin', request: () => ({ url: '/handovers' }) },
  'GET /exams/:examId/candidates/:candidateId/subject-access': {
    access: 'admin',
    request: ({ examA, candidateA }) => ({
      url: `/exams/${examA}/candidates/${candidateA}/subject-access`,
    }),
  },
  'POST /legal-holds': {
    access: 'admin',
    request: ({ examA, candidateA }) => ({
      url: '/legal-holds',
      payload: { examId: examA, candidateId: candidateA, reason: 'Appeal', reviewAt: 4e12 },
    }),
  },
  'POST /legal-holds/:holdId/release': {
    access: 'admin',
    request: ({ holdId }) => ({ url: `/legal-holds/${holdId}/release` }),
  },
  'POST /handovers/:handoverId/retry': {
    access: 'admin',
    request: ({ handoverId }) => ({ url: `/handovers/${handoverId}/retry` }),
  },
  'POST /handovers/:handoverId/abandon': {
    access: 'admin',
    request: ({ handoverId }) => ({
      url: `/handovers/${handoverId}/abandon`,
      payload: { reason: 'Delivered by hand' },
    }),
  },
};

describe.each(DIALECTS)('staff authorisation on %s', (dialect) => {
  let db: TestStorage;
  let server: TestServer;
  let ids: Ids;
  const cookies: Record<string, string> = {};

  beforeAll(async () => {
    db = await freshStorage(dialect);
    server = await testServer(db.storage);
    const examB = parseExamFile({ ...TEST_EXAM, code: 'TEST-B' });
    if (!examB.ok) throw new Error('bad fixture');
    const b = await insertExam(db.storage.db, examB.value, 0);
    await insertCandidate(db.storage.db, b.id, {
      candidateNumber: '2001',
      name: 'B',
      personalCode: 'bbbb',
    });
    const client = new ExamClient(server.app);
    await client.signIn();
    await client.fetchPackage();
    await client.upload([client.append('focus.lost', { app: 'Discord' })]);
    const candidateA = (
      await db.storage.db
        .selectFrom('candidates')
        .select('id')
        .where('candidate_number', '=', '1001')
        .executeTakeFirstOrThrow()
    ).id;
    const invB = await staffCookie(server.app, db.storage, 'inv-b@vakt.test', 'invigilator', [
      b.id,
    ]);
    const handIn = client.handInFile(server.exam.id, server.keys.handIn.publicKey);
    ids = {
      examA: server.exam.id,
      candidateA,
      journalA: client.journalId,
      userB: invB.id,
      spare: (await staffCookie(server.app, db.storage, 'spare@vakt.test', 'invigilator')).id,
      spareCandidate: (
        await insertCandidate(db.storage.db, server.exam.id, {
          candidateNumber: '7777',
          name: 'Spare',
          personalCode: 'spare-code-1',
        })
      ).id,
      n: 0,
      handIn,
      handoverId: '',
      holdId: (
        await openLegalHold(
          db.storage.db,
          {
            examId: server.exam.id,
            candidateId: null,
            reason: 'Case',
            reviewAt: 4e12,
            openedBy: 'cli',
          },
          0,
        )
      ).id,
    };
    ids.handoverId = 'msg_authz';
    await undeliveredHandover(db.storage.db, candidateA, {
      id: ids.handoverId,
      journal_id: client.journalId,
      dead_at: 0,
    });
    cookies.admin = (await staffCookie(server.app, db.storage, 'admin@vakt.test', 'admin')).cookie;
    cookies.invA = (
      await staffCookie(server.app, db.storage, 'inv-a@vakt.test', 'invigilator', [server.exam.id])
    ).cookie;
    cookies.invB = invB.cookie;
  });

  afterAll(async () => {
    const errors = server.serverErrors;
    await server.app.close();
    await db.cleanup();
    expect(errors).toEqual([]);
  });

  it('has a matrix row for every staff route, with the access the route declares', () => {
    const routes = Object.fromEntries(STAFF_ROUTES.map((r) => [`${r.method} ${r.url}`, r.access]));
    expect(Object.keys(routes).sort()).toEqual(Object.keys(MATRIX).sort());
    for (const [key, row] of Object.entries(MATRIX))
      expect({ key, access: routes[key] }).toEqual({ key, access: row.access });
  });

  const roles = ['anonymous', 'invB', 'invA', 'admin'] as const;
  it.each(STAFF_ROUTES.map((r) => `${r.method} ${r.url}`))('%s', async (key) => {
    const row = MATRIX[key]!;
    const method = key.split(' ')[0] as 'GET';
    for (const role of roles) {
      ids.n += 1;
      const { url, payload, headers } = row.request(ids);
      const response = await server.app.inject({
        method,
        url: `${STAFF_API_PREFIX}${url}`,
        headers: {
          ...(headers ?? {}),
          ...(role === 'anonymous' ? {} : { cookie: cookies[role]! }),
        },
        ...(payload === undefined ? {} : { payload: payload as string }),
        // A live stream never ends by itself: read its status, then hang up.
        ...(row.stream ? { payloadAsStream: true } : {}),
      });
      response.stream().destroy();
      const allowed =
        row.access === 'signed-in'
          ? role !== 'anonymous'
          : row.access === 'admin'
            ? role === 'admin'
            : role === 'admin' || role === 'invA';
      const expected = allowed
        ? 'allowed'
        : role === 'anonymous'
          ? 401
          : row.access === 'exam'
            ? 404
            : 403;
      const got = response.statusCode < 300 ? 'allowed' : response.statusCode;
      expect({ role, got, body: got === expected ? '' : response.body }).toEqual({
        role,
        got: expected,
        body: '',
      });
      // Signing out ends that session: sign in again for the next rows.
      if (key === 'POST /sign-out' && role !== 'anonymous') {
        const email = {
          admin: 'admin@vakt.test',
          invA: 'inv-a@vakt.test',
          invB: 'inv-b@vakt.test',
        }[role];
        const again = await server.app.inject({
          method: 'POST',
          url: `${STAFF_API_PREFIX}/sign-in`,
          payload: { email, password: 'correct horse battery' },
        });
        const set = again.headers['set-cookie'];
        cookies[role] = (Array.isArray(set) ? set[0]! : set!).split(';')[0]!;
      }
    }
  });

  it('audit-logs refused cross-exam access with the actor and the target', async () => {
    const denied = await db.storage.db
      .selectFrom('audit_log')
      .selectAll()
      .where('actor_email', '=', 'inv-b@vakt.test')
      .where('outcome', '=', 'denied')
      .execute();
    expect(denied.map((e) => e.target)).toEqual(
      expect.arrayContaining([`${STAFF_API_PREFIX}/exams/${ids.examA}/candidates`]),
    );
    expect(
      denied.every((e) => e.detail === 'not assigned to this exam' || e.detail === 'admin only'),
    ).toBe(true);
  });
});
