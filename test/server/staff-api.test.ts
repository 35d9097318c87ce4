import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { answersHash } from '../../src/common/api';
import { sealHandIn } from '../../src/common/hand-in';
import { STAFF_API_PREFIX } from '../../src/common/staff-api';
import { STAFF_SIGN_IN } from '../../src/server/routes/staff';
import { DIALECTS, freshStorage, type TestStorage } from '../support/databases';
import { ExamClient } from '../support/exam-client';
import { testServer, type TestServer } from '../support/server';
import { staffCookie, STAFF_PASSWORD } from '../support/staff';

describe.each(DIALECTS)('staff API on %s', (dialect) => {
  let db: TestStorage;
  let server: TestServer;
  let admin: string;

  beforeEach(async () => {
    db = await freshStorage(dialect);
    server = await testServer(db.storage);
    admin = (await staffCookie(server.app, db.storage, 'admin@vakt.test', 'admin')).cookie;
  });

  afterEach(async () => {
    const errors = server.serverErrors;
    await server.app.close();
    await db.cleanup();
    expect(errors).toEqual([]);
  });

  const call = (
    method: 'GET' | 'POST' | 'DELETE' | 'PATCH',
    url: string,
    cookie = admin,
    payload?: unknown,
    headers: Record<string, string> = {},
  ) =>
    server.app.inject({
      method,
      url: `${STAFF_API_PREFIX}${url}`,
      headers: { cookie, ...headers },
      ...(payload === undefined ? {} : { payload: payload as string }),
    });

  const candidateIdOf = async (candidateNumber: string) =>
    (
      await db.storage.db
        .selectFrom('candidates')
        .select('id')
        .where('candidate_number', '=', candidateNumber)
        .executeTakeFirstOrThrow()
    ).id;

  const auditActions = async () =>
    (
      await db.storage.db
        .selectFrom('audit_log')
        .select(['action', 'outcome', 'actor_email'])
        .orderBy('at')
        .execute()
    ).map((e) => `${e.action}:${e.outcome}`);

  it("words an exam file's problems in the staff member's language", async () => {
    const bad = {
      code: 'x',
      window: { opensAt: '2026-06-01T09:00:00+02:00', closesAt: '2026-06-01T08:00:00+02:00' },
      content: {
        title: 'T',
        questions: [
          { id: 'q', type: 'short-text', prompt: 'a' },
          { id: 'q', type: 'numeric', prompt: 'b', min: 5, max: 1 },
          { id: 'r', type: 'single-choice', prompt: '', options: [] },
        ],
      },
      extra: true,
    };
    const problems = async (language: string) => {
      const response = await call('POST', '/exams', admin, bad, { 'accept-language': language });
      expect(response.statusCode).toBe(400);
      return response.json<{ error: { code: string; problems: string[] } }>().error.problems;
    };
    const english = await problems('en-GB');
    expect(english).toContain('exam.code: must be 3–32 upper-case letters, digits or "-"');
    expect(english).toContain('exam.content.questions[1].id: question id "q" is used twice');
    const bokmal = await problems('nb');
    expect(bokmal).toContain('exam.code: må være 3–32 store bokstaver, sifre eller «-»');
    expect(bokmal).toContain('exam.window.closesAt: må være etter opensAt');
    expect(bokmal).toContain(
      'exam.content.questions[1].id: spørsmåls-id-en «q» er brukt to ganger',
    );
    expect(bokmal).toContain('exam.content.questions[1].min: er 5, mer enn max (1)');
    expect(bokmal).toContain('exam.content.questions[2].options: trenger minst 2 alternativer');
    expect(bokmal).toContain('exam.content.questions[2].prompt: kan ikke være tom');
    const nynorsk = await problems('nn-NO,nn;q=0.9');
    expect(nynorsk).toContain(
      'exam.content.questions[1].id: spørsmåls-ID-en «q» er brukt to gonger',
    );
    // zod's own Norwegian for its general checks: no English word left.
    for (const line of [...bokmal, ...nynorsk])
      expect(line).not.toMatch(/\b(must|is used|Unrecognized|expected)\b/);
  });

  describe('sign-in', () => {
    it('sets an HttpOnly, SameSite=Strict session cookie', async () => {
      const response = await server.app.inject({
        method: 'POST',
        url: STAFF_SIGN_IN,
        payload: { email: 'ADMIN@vakt.test', password: STAFF_PASSWORD },
      });
      expect(response.statusCode).toBe(200);
      const cookie = String(response.headers['set-cookie']);
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Strict/);
      expect(cookie).not.toMatch(/Secure/); // served over http in this test
    });

    it('slows guesses after five failures from one address, audits each attempt', async () => {
      for (let i = 0; i < 5; i += 1) {
        const wrong = await server.app.inject({
          method: 'POST',
          url: STAFF_SIGN_IN,
          payload: { email: 'admin@vakt.test', password: 'nope' },
        });
        expect(wrong.statusCode).toBe(401);
      }
      const locked = await server.app.inject({
        method: 'POST',
        url: STAFF_SIGN_IN,
        payload: { email: 'admin@vakt.test', password: STAFF_PASSWORD },
      });
      expect(locked.statusCode).toBe(429);
      expect(locked.json()).toMatchObject({ error: { code: 'too-many-attempts' } });
      expect(locked.headers['retry-after']).toBe('1');
      server.clock.now += 1_000; // a delay, not a lockout
      const later = await server.app.inject({
        method: 'POST',
        url: STAFF_SIGN_IN,
        payload: { email: 'admin@vakt.test', password: STAFF_PASSWORD },
      });
      expect(later.statusCode).toBe(200);
      const actions = await auditActions();
      expect(actions.filter((a) => a === 'staff.sign-in:failed')).toHaveLength(5);
      expect(actions).toContain('staff.sign-in:denied');
    });

    it('expires the session', async () => {
      expect((await call('GET', '/me')).statusCode).toBe(200);
      server.clock.now += 12 * 3_600_000 + 1;
      expect((await call('GET', '/me')).statusCode).toBe(401);
    });
  });

  describe('audit log', () => {
    it('records every kind of action with actor, time, address, target and outcome', async () => {
      const client = new ExamClient(server.app);
      await client.signIn();
      await client.fetchPackage();
      await client.upload([client.append('focus.lost', { app: 'Discord' })]);
      const examId = server.exam.id;
      const candidateId = await candidateIdOf('1001');
      await call('GET', `/exams/${examId}/candidates/${candidateId}/timeline`);
      await call('POST', `/exams/${examId}/candidates/${candidateId}/reviews`, admin, {
        journalId: client.journalId,
        seq: 1,
        decision: 'confirm',
        comment: 'Discord open',
      });
      await call('POST', `/exams/${examId}/candidates/${candidateId}/instructions`, admin, {
        kind: 'lock',
      });
      await call(
        'POST',
        `/exams/${examId}/candidates/import`,
        admin,
        'candidate_number,name,personal_code\n3001,New,code-1\n',
        { 'content-type': 'text/csv' },
      );
      await call('GET', `/exams/${examId}/report.csv`);
      await call('PATCH', `/exams/${examId}`, admin, { title: 'Renamed on the day' });
      const entries = await db.storage.db
        .selectFrom('audit_log')
        .selectAll()
        .orderBy('at')
        .execute();
      expect(entries.map((e) => `${e.action}:${e.outcome}`)).toEqual([
        'staff.sign-in:ok',
        'candidates.view-timeline:ok',
        'flags.review:ok',
        'candidates.instruct:ok',
        'candidates.import:ok',
        'reports.export:ok',
        'exams.update:ok',
      ]);
      for (const entry of entries) {
        expect(entry.actor_email).toBe('admin@vakt.test');
        expect(entry.address).toBe('127.0.0.1');
        expect(entry.at).toBe(server.clock.now);
        expect(entry.target).not.toBe('');
      }
    });

    it('cannot be changed or deleted through the API', async () => {
      for (const method of ['DELETE', 'PATCH'] as const) {
        const response = await call(
          method,
          '/audit',
          admin,
          method === 'PATCH' ? { outcome: 'ok' } : undefined,
        );
        expect(response.statusCode).toBe(404);
      }
      const before = await db.storage.db.selectFrom('audit_log').select('id').execute();
      expect(before.length).toBeGreaterThan(0);
      const read = await call('GET', '/audit');
      expect(read.json<{ entries: unknown[] }>().entries.length).toBe(before.length);
    });
  });

  describe('candidate import (CSV)', () => {
    const importCsv = (body: string | Buffer) =>
      call('POST', `/exams/${server.exam.id}/candidates/import`, admin, body, {
        'content-type': 'text/csv',
      });

    it('imports good rows and reports each bad one by line', async () => {
      const csv =
        '\uFEFFcandidate_number;name;personal_code;extra_minutes\r\n3001;"Nordmann, Kari";tre-ord-kode;15\r\n3001;Twice;tre-ord-kode;\r\n1001;Exists;tre-ord-kode;\r\n;No number;tre-ord-kode;\r\n3002;Bad time;tre-ord-kode;-5\r\n3003;Weak;abcd;\r\n3004;Digits;12345678;\r\n';
      const response = await importCsv(csv);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({
        imported: 1,
        errors: [
          {
            line: 3,
            code: 'already-in-exam',
            params: { candidateNumber: '3001' },
            message: 'candidate 3001 is already in this exam',
          },
          {
            line: 4,
            code: 'already-in-exam',
            params: { candidateNumber: '1001' },
            message: 'candidate 1001 is already in this exam',
          },
          {
            line: 5,
            code: 'candidate-number',
            params: {},
            message: 'candidate_number must be 1–32 letters, digits or "-"',
          },
          {
            line: 6,
            code: 'extra-minutes',
            params: {},
            message: 'extra_minutes must be a whole number from 0 to 1440',
          },
          {
            line: 7,
            code: 'personal-code-short',
            params: {},
            message: 'personal_code must be at least 8 characters',
          },
          {
            line: 8,
            code: 'personal-code-digits',
            params: {},
            message: 'personal_code of digits only must be at least 10 digits',
          },
        ],
      });
      const kari = await db.storage.db
        .selectFrom('candidates')
        .selectAll()
        .where('candidate_number', '=', '3001')
        .executeTakeFirstOrThrow();
      expect(kari).toMatchObject({ name: 'Nordmann, Kari', extra_minutes: 15 });
    });

    it('refuses a file that is not UTF-8, naming the fix', async () => {
      const latin1 = Buffer.from(
        'candidate_number,name,personal_code\n3003,S\xf8lvi,tre-ord-kode\n',
        'latin1',
      );
      const response = await importCsv(latin1);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({
        error: { code: 'bad-csv', message: expect.stringContaining('CSV UTF-8') },
      });
    });

    it('refuses a file without the required columns', async () => {
      const response = await importCsv('number,name\n1,A\n');
      expect(response.statusCode).toBe(400);
      expect(response.json<{ error: { message: string } }>().error.message).toContain(
        'missing: candidate_number, personal_code',
      );
    });

    it('escapes formula injection in names in the exported report', async () => {
      await importCsv(
        'candidate_number,name,personal_code\n3004,"=cmd|\' /C calc\'!A0",tre-ord-kode\n3005,+SUM(1),tre-ord-kode\n',
      );
      // Each candidate gets a flag, so both appear in the incident report.
      for (const candidateNumber of ['3004', '3005']) {
        const client = new ExamClient(server.app, {
          examCode: 'TEST-1',
          candidateNumber,
          personalCode: 'tre-ord-kode',
        });
        await client.signIn();
        await client.fetchPackage();
        await client.sync([client.append('network.offline', {})]);
      }
      const report = await call('GET', `/exams/${server.exam.id}/report.csv`);
      expect(report.headers['content-type']).toMatch(/text\/csv/);
      const [header, ...lines] = report.body.trimEnd().split('\r\n');
      expect(header).toBe(
        '"candidate_number","name","received_at","severity","event","source","detail","review","reviewer","reviewed_at","comment"',
      );
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(/"low","network.offline","client","\{\}","unreviewed"/);
      expect(report.body).toContain("\"'=cmd|' /C calc'!A0\"");
      expect(report.body).toContain('"\'+SUM(1)"');
      expect(report.body).not.toMatch(/(^|,)"=/m);
    });
  });

  describe('hand-in upload', () => {
    it('ingests a sealed journal like an upload: idempotent, and the records appear', async () => {
      const offline = new ExamClient(server.app);
      await offline.signIn();
      offline.append('answer.saved', {
        questionId: 'q2',
        value: { type: 'short-text', text: 'Oslo' },
      });
      offline.append('network.offline', {});
      offline.append('submission.sealed', {
        answersHash: answersHash({ q2: { type: 'short-text', text: 'Oslo' } }),
        headSeq: 2,
      });
      const file = offline.handInFile(server.exam.id, server.keys.handIn.publicKey);
      const url = `/exams/${server.exam.id}/hand-in`;
      const first = await call('POST', url, admin, file);
      expect(first.json()).toEqual({
        journalId: offline.journalId,
        stored: 3,
        watermark: 3,
        refusal: null,
        held: null,
      });
      const again = await call('POST', url, admin, file);
      expect(again.json()).toMatchObject({ stored: 0, watermark: 3, refusal: null });
      const submission = await db.storage.db
        .selectFrom('submissions')
        .selectAll()
        .where('journal_id', '=', offline.journalId)
        .executeTakeFirstOrThrow();
      expect(submission.matches).toBe(1);
    });

    it('refuses a damaged file and a file for another exam, storing nothing', async () => {
      const offline = new ExamClient(server.app);
      offline.append('focus.regained', { durationMs: 1 });
      const file = sealHandIn(
        {
          examId: server.exam.id,
          candidateNumber: '1001',
          journalId: offline.journalId,
          records: offline.records,
        },
        server.keys.handIn.publicKey,
      );
      const url = `/exams/${server.exam.id}/hand-in`;
      const damaged = await call('POST', url, admin, {
        ...file,
        ciphertext: `${file.ciphertext[0] === '0' ? '1' : '0'}${file.ciphertext.slice(1)}`,
      });
      expect(damaged.statusCode).toBe(400);
      expect(damaged.json()).toMatchObject({ error: { code: 'bad-hand-in' } });
      const elsewhere = sealHandIn(
        {
          examId: 'another-exam',
          candidateNumber: '1001',
          journalId: offline.journalId,
          records: offline.records,
        },
        server.keys.handIn.publicKey,
      );
      expect((await call('POST', url, admin, elsewhere)).json()).toMatchObject({
        error: { code: 'wrong-exam' },
      });
      expect(await db.storage.db.selectFrom('records').select('seq').execute()).toEqual([]);
    });
  });

  describe('invigilating', () => {
    it('shows candidates with state and flags, a timeline with severity and time bounds, and reviews', async () => {
      const client = new ExamClient(server.app);
      await client.signIn();
      await client.fetchPackage();
      await client.heartbeat();
      await client.sync([
        client.append('process.started', {
          name: 'AnyDesk',
          category: 'remote-access',
          action: 'terminate',
        }),
      ]);
      await client.upload(
        client.records.slice(1).concat(client.append('focus.regained', { durationMs: 12_000 })),
      );
      const list = (await call('GET', `/exams/${server.exam.id}/candidates`)).json<{
        candidates: { candidateNumber: string; state: string; flags: object }[];
      }>();
      expect(list.candidates).toEqual([
        expect.objectContaining({
          candidateNumber: '1001',
          state: 'in-progress',
          flags: { low: 0, medium: 1, high: 1 },
        }),
        expect.objectContaining({ candidateNumber: '1002', state: 'not-started' }),
      ]);
      server.clock.now += 60_000;
      const later = (await call('GET', `/exams/${server.exam.id}/candidates`)).json<{
        candidates: { state: string }[];
      }>();
      expect(later.candidates[0]?.state).toBe('offline');

      const candidateId = await candidateIdOf('1001');
      await call('POST', `/exams/${server.exam.id}/candidates/${candidateId}/reviews`, admin, {
        journalId: client.journalId,
        seq: 1,
        decision: 'confirm',
        comment: 'AnyDesk seen on screen',
      });
      // A reviewed flag stops shouting; the client's own head shows what waits to sync;
      // `ids` answers the rows a live update named.
      await client.heartbeat(client.records.length + 4);
      const row = (
        await call('GET', `/exams/${server.exam.id}/candidates?ids=${candidateId},${candidateId}`)
      ).json<{ candidates: object[] }>();
      expect(row.candidates).toEqual([
        expect.objectContaining({
          candidateNumber: '1001',
          flags: { low: 0, medium: 1, high: 0 },
          reviewed: 1,
          waiting: 4,
          answered: 0,
          questions: 2,
        }),
      ]);
      const timeline = (
        await call('GET', `/exams/${server.exam.id}/candidates/${candidateId}/timeline`)
      ).json<{
        entries: {
          seq: number;
          severity: string;
          notBefore: number | null;
          reviews: { decision: string; reviewer: string }[];
        }[];
      }>();
      // Seq 2 is the returned sync nonce: bookkeeping, not an event.
      expect(timeline.entries.map((e) => [e.seq, e.severity])).toEqual([
        [1, 'high'],
        [3, 'medium'],
      ]);
      expect(timeline.entries[2]?.notBefore).not.toBeNull();
      expect(timeline.entries[0]?.reviews).toEqual([
        expect.objectContaining({ decision: 'confirm', reviewer: 'admin@vakt.test' }),
      ]);
    });

    it('sends an instruction that the client receives in its heartbeat', async () => {
      const client = new ExamClient(server.app);
      await client.signIn();
      await client.fetchPackage();
      const candidateId = await candidateIdOf('1001');
      const instruct = (body: unknown) =>
        call(
          'POST',
          `/exams/${server.exam.id}/candidates/${candidateId}/instructions`,
          admin,
          body,
        );
      expect((await instruct({ kind: 'add-time', minutes: 15 })).statusCode).toBe(200);
      expect((await instruct({ kind: 'lock', reason: 'Come to the front desk' })).statusCode).toBe(
        200,
      );
      expect((await client.heartbeat()).json()).toMatchObject({
        instructions: [
          { kind: 'add-time', minutes: 15 },
          { kind: 'lock', reason: 'Come to the front desk' },
        ],
      });
      // A reason belongs to a lock only; the refusal says so.
      const refused = await instruct({ kind: 'unlock', reason: 'x' });
      expect(refused.statusCode).toBe(400);
      expect(refused.json()).toMatchObject({ error: { message: 'Only a lock carries a reason.' } });
      // The candidate page shows each instruction and whether the client has applied it.
      const detail = await call('GET', `/exams/${server.exam.id}/candidates/${candidateId}`);
      expect(
        detail.json<{ instructions: { kind: string; appliedAt: number | null }[] }>().instructions,
      ).toMatchObject([
        { kind: 'add-time', appliedAt: null },
        { kind: 'lock', appliedAt: null },
      ]);
      // Found by the fuzzer: time added past a day once made the exam package unservable.
      for (let i = 0; i < 2; i += 1) await instruct({ kind: 'add-time', minutes: 1_000 });
      expect((await client.fetchPackage()).package.candidate.extraMinutes).toBe(0);
    });

    it('approves a second device through an instruction', async () => {
      const first = new ExamClient(server.app);
      await first.signIn();
      const spare = new ExamClient(server.app);
      await spare.signIn();
      const candidateId = await candidateIdOf('1001');
      const approve = await call(
        'POST',
        `/exams/${server.exam.id}/candidates/${candidateId}/instructions`,
        admin,
        { kind: 'approve-device', journalId: spare.journalId },
      );
      expect(approve.statusCode).toBe(200);
      await spare.fetchPackage();
      expect((await spare.heartbeat()).json()).toMatchObject({ journalState: 'active' });
    });
  });
});
