import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { parseExamFile } from '../../src/common/exam-file';
import { STAFF_API_PREFIX } from '../../src/common/staff-api';
import { buildApp } from '../../src/server/app';
import { composeServer } from '../../src/server/compose';
import { LocalLiveFeed } from '../../src/server/live/live-feed';
import { DEFAULT_SCHOOL_YEAR_END, retentionDate } from '../../src/server/privacy/retention';
import { auditedRetention, SERVER_ACTOR } from '../../src/server/privacy/retention-run';
import { insertExam } from '../../src/server/repositories/exams';
import { DIALECTS } from '../support/databases';
import { ExamClient } from '../support/exam-client';
import { serverSuite, TEST_EXAM, testKeys } from '../support/server';
import { staffCookie } from '../support/staff';

const day = (iso: string) => Date.parse(`${iso}T12:00:00Z`);

describe('retention dates', () => {
  it('fall after the last day of the school year the exam closes in', () => {
    const date = (closes: string) =>
      new Date(
        retentionDate(
          { closes_at: Date.parse(closes), retain_until: null },
          DEFAULT_SCHOOL_YEAR_END,
        ),
      ).toISOString();
    expect(date('2027-05-20T12:00:00Z')).toBe('2027-08-01T00:00:00.000Z');
    expect(date('2027-07-31T23:00:00Z')).toBe('2027-08-01T00:00:00.000Z');
    expect(date('2027-12-31T00:00:00Z')).toBe('2028-08-01T00:00:00.000Z');
    expect(retentionDate({ closes_at: 0, retain_until: 42 }, DEFAULT_SCHOOL_YEAR_END)).toBe(42);
  });
});

/**
 * A fake clock across two school years. The test exam closes 2027-12-31, so its candidates'
 * data is kept until 2028-08-01. Kari (1001) and Ola (1002) each answer with a canary text;
 * Ola is under a legal hold until an admin releases it.
 */
describe.each(DIALECTS)('retention on %s', (dialect) => {
  const suite = serverSuite(dialect);
  const KARI = 'canary-kari-5f0c1e';
  const OLA = 'canary-ola-9b27d4';

  async function answer(candidateNumber: string, personalCode: string, text: string) {
    const client = new ExamClient(suite.server.app, {
      examCode: 'TEST-1',
      candidateNumber,
      personalCode,
    });
    expect((await client.signIn()).statusCode).toBe(200);
    await client.fetchPackage();
    const saved = await client.sync([
      client.append('answer.saved', { questionId: 'q2', value: { type: 'short-text', text } }),
      client.append('focus.lost', { app: 'Discord' }),
    ]);
    expect(saved.statusCode).toBe(200);
  }

  const candidateIdOf = async (number: string) =>
    (
      await suite.db.storage.db
        .selectFrom('candidates')
        .select('id')
        .where('candidate_number', '=', number)
        .executeTakeFirst()
    )?.id;

  const answers = async () =>
    (await suite.db.storage.db.selectFrom('answers').select('value').execute()).map(
      (row) => row.value,
    );

  /** The SQLite database's files as text, WAL included. */
  const onDisk = async () => {
    const file = join(suite.db.dataDir, 'vakt.sqlite');
    const parts = await Promise.all(
      [file, `${file}-wal`].map((path) => readFile(path).catch(() => Buffer.alloc(0))),
    );
    return Buffer.concat(parts).toString('latin1');
  };

  const run = (now: number, dryRun = false) =>
    auditedRetention(suite.db.storage, {
      now,
      schoolYearEnd: DEFAULT_SCHOOL_YEAR_END,
      dryRun,
      actor: SERVER_ACTOR,
    });

  /** Staff calls by an admin signed in at the clock's time (sessions last hours, not years). */
  function adminCalls() {
    const cookies = new Map<number, string>();
    return async (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) => {
      const { app } = suite.server;
      const at = suite.server.clock.now;
      if (!cookies.has(at)) {
        const email = `dpo-${at}@vakt.test`;
        cookies.set(at, (await staffCookie(app, suite.db.storage, email, 'admin')).cookie);
      }
      return app.inject({
        method,
        url: `${STAFF_API_PREFIX}${url}`,
        headers: { cookie: cookies.get(at)! },
        ...(payload ? { payload } : {}),
      });
    };
  }

  it('deletes expired data for good, keeps what a legal hold covers until it is released', async () => {
    await answer('1001', 'secret-1', KARI);
    await answer('1002', 'secret-2', OLA);
    const ola = (await candidateIdOf('1002'))!;
    const staff = adminCalls();

    // An admin holds Ola's data for a case, with a review date.
    suite.server.clock.now = day('2028-05-02');
    const opened = await staff('POST', '/legal-holds', {
      examId: suite.server.exam.id,
      candidateId: ola,
      reason: 'Appeal 2028-14: the candidate disputes a flag',
      reviewAt: day('2028-12-01'),
    });
    expect(opened.statusCode).toBe(200);
    const holdId = opened.json<{ hold: { id: string } }>().hold.id;

    // Within the school year: nothing goes.
    expect((await run(day('2028-06-30'))).total).toBe(0);
    expect(await answers()).toHaveLength(2);

    // A dry run after the end of the school year says what would go, and deletes nothing.
    const dry = await run(day('2028-08-02'), true);
    expect(dry.exams).toHaveLength(1);
    expect(dry.exams[0]).toMatchObject({ examHeld: false, heldCandidates: 1 });
    expect(dry.exams[0]!.rows).toMatchObject({ candidates: 1, answers: 1, journals: 1 });
    expect(dry.exams[0]!.rows.records).toBeGreaterThanOrEqual(2);
    expect(await candidateIdOf('1001')).toBeDefined();

    const done = await run(day('2028-08-02'));
    expect(done.total).toBe(dry.total);
    expect(await candidateIdOf('1001')).toBeUndefined();
    expect(await candidateIdOf('1002')).toBe(ola);
    const left = await answers();
    expect(left.join()).not.toContain(KARI);
    expect(left.join()).toContain(OLA);
    if (dialect === 'sqlite') {
      const bytes = await onDisk();
      expect(bytes).not.toContain(KARI);
      expect(bytes).toContain(OLA);
    }

    // Released: the next run takes the rest.
    suite.server.clock.now = day('2028-12-01');
    expect((await staff('POST', `/legal-holds/${holdId}/release`)).statusCode).toBe(200);
    expect((await staff('POST', `/legal-holds/${holdId}/release`)).statusCode).toBe(404);
    await run(day('2029-01-05'));
    expect(await candidateIdOf('1002')).toBeUndefined();
    expect(await answers()).toEqual([]);
    if (dialect === 'sqlite') expect(await onDisk()).not.toContain(OLA);

    // The exam itself stays; every step is in the audit log.
    expect(await suite.db.storage.db.selectFrom('exams').select('id').execute()).toHaveLength(1);
    const audited = (
      await suite.db.storage.db
        .selectFrom('audit_log')
        .select(['action', 'outcome', 'detail'])
        .where((eb) => eb.or([eb('action', 'like', 'retention%'), eb('action', 'like', 'legal%')]))
        .orderBy('seq')
        .execute()
    ).map((entry) => `${entry.action}:${entry.outcome}`);
    expect(audited).toEqual([
      'legal-holds.open:ok',
      'retention.run:ok',
      'retention.dry-run:ok',
      'retention.run:ok',
      'legal-holds.release:ok',
      'legal-holds.release:failed',
      'retention.run:ok',
    ]);
  });

  it('refuses a window moved so far back that the retention date has passed', async () => {
    const staff = adminCalls();
    const parsed = parseExamFile({ ...TEST_EXAM, code: 'PLANNED-1' });
    if (!parsed.ok) throw new Error(parsed.problems.join('; '));
    const planned = await insertExam(suite.db.storage.db, parsed.value, suite.server.clock.now);
    const url = `/exams/${planned.id}`;
    // Nor can one be created there.
    const created = await staff('POST', '/exams', {
      ...TEST_EXAM,
      code: 'OLD-1',
      window: { opensAt: '2020-01-01T09:00:00Z', closesAt: '2020-01-01T13:00:00Z' },
    });
    expect(created.json()).toMatchObject({ error: { code: 'invalid-retention-date' } });
    // Last school year: its data would go at the next retention run.
    const moved = await staff('PATCH', url, {
      window: { opensAt: '2020-01-01T09:00:00Z', closesAt: '2020-01-01T13:00:00Z' },
    });
    expect(moved.statusCode).toBe(400);
    expect(moved.json()).toMatchObject({ error: { code: 'invalid-retention-date' } });
    // With a date of its own in the future it may move; and a move within the year is fine.
    const kept = Date.parse('2030-01-01T00:00:00Z');
    expect((await staff('PATCH', url, { retainUntil: kept })).statusCode).toBe(200);
    expect(
      (
        await staff('PATCH', url, {
          window: { opensAt: '2020-01-01T09:00:00Z', closesAt: '2020-01-01T13:00:00Z' },
        })
      ).statusCode,
    ).toBe(200);
    // Clearing that date now would put it in the past again.
    expect((await staff('PATCH', url, { retainUntil: null })).json()).toMatchObject({
      error: { code: 'invalid-retention-date' },
    });
  });

  it('empties raw monitoring events once the grades are final, except what a hold keeps', async () => {
    const { app } = suite.server;
    const SEEN_KARI = 'CanaryChatKari';
    const SEEN_OLA = 'CanaryChatOla';
    const clients = new Map<string, ExamClient>();
    for (const [number, code, text, seen] of [
      ['1001', 'secret-1', KARI, SEEN_KARI],
      ['1002', 'secret-2', OLA, SEEN_OLA],
    ] as const) {
      const client = new ExamClient(app, {
        examCode: 'TEST-1',
        candidateNumber: number,
        personalCode: code,
      });
      expect((await client.signIn()).statusCode).toBe(200);
      await client.fetchPackage();
      const device = { battery: { level: 50, charging: false }, network: 'wifi' } as const;
      expect((await client.heartbeat(0, 'in-progress', device)).statusCode).toBe(200);
      const saved = await client.sync([
        client.append('answer.saved', { questionId: 'q2', value: { type: 'short-text', text } }),
        client.append('focus.lost', { app: seen }),
        client.append('process.started', { name: seen, category: 'communication', action: 'flag' }),
      ]);
      expect(saved.statusCode).toBe(200);
      clients.set(number, client);
    }
    const kari = (await candidateIdOf('1001'))!;
    const ola = (await candidateIdOf('1002'))!;
    const examDay = suite.server.clock.now;
    suite.server.clock.now = day('2028-01-10');
    const staff = adminCalls();
    const examUrl = `/exams/${suite.server.exam.id}`;
    const held = await staff('POST', '/legal-holds', {
      examId: suite.server.exam.id,
      candidateId: ola,
      reason: 'Case 2028-3: a flag is disputed',
      reviewAt: day('2028-12-01'),
    });
    expect(held.statusCode).toBe(200);

    // Before the grades are final nothing goes.
    expect((await run(day('2028-01-11'))).monitoringRemoved).toBe(0);

    expect((await staff('PATCH', examUrl, { gradesFinal: true })).json()).toEqual({
      updated: true,
    });
    expect((await staff('PATCH', examUrl, { gradesFinal: false })).statusCode).toBe(400);
    // A deletion date already passed would delete everything at the next run: refused.
    const past = await staff('PATCH', examUrl, { retainUntil: day('2028-01-09') });
    expect(past.json()).toMatchObject({ error: { code: 'invalid-retention-date' } });
    expect((await staff('GET', '/retention')).json()).toEqual({
      exams: [
        expect.objectContaining({
          code: 'TEST-1',
          retainUntil: Date.parse('2028-08-01T00:00:00Z'),
          ownDate: false,
          gradesFinalAt: day('2028-01-10'),
        }),
      ],
    });
    const dry = await run(day('2028-01-11'), true);
    expect(dry.monitoringRemoved).toBe(2);
    expect(dry.exams[0]).toMatchObject({ reason: 'grades-final', heldCandidates: 1 });

    const removedAt = async () =>
      (await staff('GET', '/retention')).json<{ exams: { monitoringRemovedAt: number | null }[] }>()
        .exams[0]!.monitoringRemovedAt;
    expect(await removedAt()).toBeNull(); // a dry run removed nothing

    const done = await run(day('2028-01-11'));
    expect(done.monitoringRemoved).toBe(2);
    expect(done.total).toBe(0);
    expect((await run(day('2028-01-12'))).exams).toEqual([]); // nothing left to empty
    expect(await removedAt()).toBe(day('2028-01-11')); // the first run that emptied them

    // What Kari's laptop said of its battery and network goes too; Ola's is held.
    const batteries = await suite.db.storage.db
      .selectFrom('journals')
      .select(['candidate_id', 'battery_level', 'network'])
      .orderBy('candidate_id')
      .execute();
    expect(batteries.find((row) => row.candidate_id === kari)).toMatchObject({
      battery_level: null,
      network: null,
    });
    expect(batteries.find((row) => row.candidate_id === ola)).toMatchObject({
      battery_level: 50,
      network: 'wifi',
    });

    // Kari's answers stay until the retention date; what the monitors saw is gone, from disk too.
    expect((await answers()).join()).toContain(KARI);
    const timeline = async (id: string) =>
      JSON.stringify((await staff('GET', `${examUrl}/candidates/${id}/timeline`)).json());
    const kariTimeline = await timeline(kari);
    expect(kariTimeline).not.toContain(SEEN_KARI);
    expect(kariTimeline).toContain('"removed":"grades-final"');
    expect(kariTimeline).toContain('"severity":"medium"'); // the flag stays, its details go
    expect(await timeline(ola)).toContain(SEEN_OLA);
    if (dialect === 'sqlite') {
      const bytes = await onDisk();
      expect(bytes).not.toContain(SEEN_KARI);
      expect(bytes).toContain(SEEN_OLA);
      expect(bytes).toContain(KARI);
    }

    // The journal's hash chain still holds: a batch Kari's laptop kept from the exam day still
    // chains onto the emptied records.
    suite.server.clock.now = examDay;
    const kariClient = clients.get('1001')!;
    const nonce = kariClient.records.at(-1)!; // journaled when the last batch was acknowledged
    const more = await kariClient.sync([
      nonce,
      kariClient.append('focus.regained', { durationMs: 1200 }),
    ]);
    expect(more.statusCode).toBe(200);

    const audited = await suite.db.storage.db
      .selectFrom('audit_log')
      .select(['action', 'detail'])
      .where('action', '=', 'exams.update')
      .execute();
    expect(audited.map((entry) => entry.detail).join()).toContain('grades final since 2028-01-10');
  });

  it('keeps a whole exam an open hold names', async () => {
    await answer('1001', 'secret-1', KARI);
    suite.server.clock.now = day('2028-05-02');
    const { cookie } = await staffCookie(
      suite.server.app,
      suite.db.storage,
      'a@vakt.test',
      'admin',
    );
    const opened = await suite.server.app.inject({
      method: 'POST',
      url: `${STAFF_API_PREFIX}/legal-holds`,
      headers: { cookie },
      payload: {
        examId: suite.server.exam.id,
        reason: 'Police inquiry',
        reviewAt: day('2029-01-01'),
      },
    });
    expect(opened.statusCode).toBe(200);
    // Grades final under the hold: a run removes nothing, and does not say it did.
    await suite.db.storage.db
      .updateTable('exams')
      .set({ grades_final_at: day('2028-05-02') })
      .where('id', '=', suite.server.exam.id)
      .execute();
    expect((await run(day('2028-05-03'))).monitoringRemoved).toBe(0);
    const exam = await suite.db.storage.db
      .selectFrom('exams')
      .select('monitoring_removed_at')
      .where('id', '=', suite.server.exam.id)
      .executeTakeFirstOrThrow();
    expect(exam.monitoring_removed_at).toBeNull();
    const report = await run(day('2028-09-01'));
    expect(report.exams[0]).toMatchObject({ examHeld: true });
    expect(report.total).toBe(0);
    expect(await answers()).toHaveLength(1);
  });

  it('refuses a hold without a reason, in the past, or on another exam’s candidate', async () => {
    const { cookie } = await staffCookie(
      suite.server.app,
      suite.db.storage,
      'b@vakt.test',
      'admin',
    );
    const open = (payload: object) =>
      suite.server.app.inject({
        method: 'POST',
        url: `${STAFF_API_PREFIX}/legal-holds`,
        headers: { cookie },
        payload,
      });
    const base = { examId: suite.server.exam.id, reason: 'Case', reviewAt: day('2029-01-01') };
    expect((await open({ ...base, reason: '   ' })).statusCode).toBe(400);
    expect((await open({ ...base, reviewAt: day('2020-01-01') })).json()).toMatchObject({
      error: { code: 'invalid-review-date' },
    });
    expect((await open({ ...base, candidateId: 'not-a-candidate' })).statusCode).toBe(404);
    expect((await open({ ...base, examId: 'no-such-exam' })).statusCode).toBe(404);
  });
});

describe('request logs', () => {
  it('carry neither the client’s address nor the query string', async () => {
    const lines: string[] = [];
    const app = await buildApp({
      context: composeServer({
        storage: {
          db: null as never,
          dialect: 'sqlite',
          schema: null,
          durable: async () => {},
          close: async () => {},
        },
        keys: testKeys(),
        publicUrl: 'http://vakt.test',
        minClientVersion: '1.0.0',
        now: Date.now,
        feed: new LocalLiveFeed(),
      }),
      logger: { level: 'info', stream: { write: (line) => lines.push(line) } },
    });
    try {
      await app.inject({
        method: 'GET',
        url: '/api/no-such-route?candidate=1001&name=Kari',
        remoteAddress: '10.1.2.3',
      });
    } finally {
      await app.close();
    }
    const text = lines.join('\n');
    expect(text).toContain('/api/no-such-route');
    expect(text).not.toContain('10.1.2.3');
    expect(text).not.toContain('Kari');
  });
});
