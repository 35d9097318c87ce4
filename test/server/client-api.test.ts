import { randomUUID } from 'node:crypto';

import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import {
  answersHash,
  CLIENT_ROUTES,
  receiptStatement,
  type Ack,
  type SignedExamPackage,
} from '../../src/common/api';
import { parseExamFile } from '../../src/common/exam-file';
import { chainRecord, recordHash } from '../../src/common/journal-record';
import { verifyCanonical } from '../../src/common/signing';
import { getCandidate, insertCandidate } from '../../src/server/repositories/candidates';
import { insertExam } from '../../src/server/repositories/exams';
import { queueInstruction } from '../../src/server/repositories/instructions';
import { approveSecondDevice } from '../../src/server/repositories/journals';
import { DIALECTS, freshStorage, type TestStorage } from '../support/databases';
import { ExamClient } from '../support/exam-client';
import { TEST_EXAM, testServer, type TestServer } from '../support/server';

describe.each(DIALECTS)('candidate API on %s', (dialect) => {
  let db: TestStorage;
  let server: TestServer;
  let client: ExamClient;

  beforeEach(async () => {
    db = await freshStorage(dialect);
    server = await testServer(db.storage);
    client = new ExamClient(server.app);
  });

  afterEach(async () => {
    const errors = server.serverErrors;
    await server.app.close();
    await db.cleanup();
    expect(errors).toEqual([]);
  });

  async function signedIn(): Promise<ExamClient> {
    expect((await client.signIn()).statusCode).toBe(200);
    await client.fetchPackage();
    return client;
  }

  const storedSeqs = async (journalId = client.journalId) =>
    (
      await db.storage.db
        .selectFrom('records')
        .select('seq')
        .where('journal_id', '=', journalId)
        .orderBy('seq')
        .execute()
    ).map((r) => r.seq);

  const quarantined = async () =>
    db.storage.db.selectFrom('quarantine').select(['seq', 'reason']).orderBy('seq').execute();

  /** Uploads one new event; the acknowledgement, with its nonce. */
  const acknowledged = async (durationMs: number) =>
    (await client.upload([client.append('focus.regained', { durationMs })])).json<Ack>();

  describe('sign-in', () => {
    it('gives a token for the right personal code and one message for every wrong part', async () => {
      expect((await client.signIn()).json()).toMatchObject({
        journalState: 'active',
        watermark: 0,
      });
      for (const wrong of [
        { examCode: 'NOPE-1', candidateNumber: '1001', personalCode: 'secret-1' },
        { examCode: 'TEST-1', candidateNumber: '9999', personalCode: 'secret-1' },
        { examCode: 'TEST-1', candidateNumber: '1001', personalCode: 'secret-2' },
      ]) {
        const response = await new ExamClient(server.app, wrong).signIn();
        expect(response.statusCode).toBe(401);
        expect(response.json()).toEqual({
          error: { code: 'wrong-credentials', message: expect.stringContaining('not right') },
        });
      }
    });

    it('refuses unknown fields and malformed JSON with a 400 that says what is wrong', async () => {
      const extra = await server.app.inject({
        method: 'POST',
        url: CLIENT_ROUTES.signIn,
        payload: { examCode: 'TEST-1', admin: true },
      });
      expect(extra.statusCode).toBe(400);
      expect(extra.json<{ error: { message: string } }>().error.message).toMatch(/admin/);
      const broken = await server.app.inject({
        method: 'POST',
        url: CLIENT_ROUTES.signIn,
        headers: { 'content-type': 'application/json' },
        payload: '{"examCode": ',
      });
      expect(broken.statusCode).toBe(400);
      expect(broken.json()).toMatchObject({ error: { code: 'invalid-json' } });
    });

    it('refuses a client older than the minimum version (client-too-old)', async () => {
      const response = await server.app.inject({
        method: 'POST',
        url: CLIENT_ROUTES.signIn,
        payload: {
          ...client.credentials,
          journalId: client.journalId,
          deviceIdHash: 'd'.repeat(64),
          journalPublicKey: client.signingKey.publicKey,
          clientVersion: '0.9.9',
        },
      });
      expect(response.statusCode).toBe(426);
      expect(response.json()).toMatchObject({ code: 'client-too-old', minimumVersion: '1.0.0' });
    });

    it('refuses a client older than the exam itself asks for, once the exam code is right', async () => {
      const parsed = parseExamFile({ ...TEST_EXAM, code: 'NEWER-1', minClientVersion: '1.3.0' });
      if (!parsed.ok) throw new Error(parsed.problems.join('; '));
      const exam = await insertExam(db.storage.db, parsed.value, server.clock.now);
      await insertCandidate(db.storage.db, exam.id, {
        candidateNumber: '7001',
        name: 'Ny',
        personalCode: 'fjord-7-elg',
      });
      const fresh = new ExamClient(server.app);
      const signIn = (clientVersion: string) =>
        server.app.inject({
          method: 'POST',
          url: CLIENT_ROUTES.signIn,
          payload: {
            examCode: 'NEWER-1',
            candidateNumber: '7001',
            personalCode: 'fjord-7-elg',
            journalId: fresh.journalId,
            deviceIdHash: 'd'.repeat(64),
            journalPublicKey: fresh.signingKey.publicKey,
            clientVersion,
          },
        });
      const old = await signIn('1.2.0');
      expect(old.statusCode).toBe(426);
      expect(old.json()).toMatchObject({ code: 'client-too-old', minimumVersion: '1.3.0' });
      // The server's own minimum is 1.0.0: the other exams still take 1.2.0.
      expect((await client.signIn()).statusCode).toBe(200);
      expect((await signIn('1.3.0-rc.1')).statusCode).toBe(426);
      expect((await signIn('1.3.0')).statusCode).toBe(200);
    });

    it('refuses sign-in before the waiting room opens and after the exam has closed', async () => {
      const { opensAt } = server.exam;
      const signInFrom = opensAt - 60 * 60_000;
      server.clock.now = signInFrom - 1;
      // With the times, so the client can say when in the candidate's language and time zone.
      expect((await client.signIn()).json()).toMatchObject({
        error: { code: 'exam-not-open', params: { opensAt, signInFrom } },
      });
      // In the waiting room: signed in, and the package holds the title but not one question.
      server.clock.now = signInFrom;
      expect((await client.signIn()).statusCode).toBe(200);
      const early = await server.app.inject({
        method: 'GET',
        url: CLIENT_ROUTES.examPackage,
        headers: { authorization: `Bearer ${client.token}` },
      });
      expect(early.json()).toMatchObject({ package: { title: 'Test exam', content: null } });
      server.clock.now = opensAt;
      const open = await server.app.inject({
        method: 'GET',
        url: CLIENT_ROUTES.examPackage,
        headers: { authorization: `Bearer ${client.token}` },
      });
      expect(open.json<SignedExamPackage>().package.content?.questions).toHaveLength(2);
      server.clock.now = server.exam.closesAt + 24 * 3_600_000;
      expect((await client.signIn()).json()).toMatchObject({ error: { code: 'exam-closed' } });
    });

    it('holds a second device until an invigilator approves it, then seeds it with the answers', async () => {
      await signedIn();
      await client.sync([
        client.append('answer.saved', {
          questionId: 'q2',
          value: { type: 'short-text', text: 'Oslo' },
        }),
      ]);
      const spare = new ExamClient(server.app);
      expect((await spare.signIn()).json()).toMatchObject({ journalState: 'awaiting-approval' });
      // Unapproved, it sees neither the exam nor the candidate's answers.
      const withheld = await server.app.inject({
        method: 'GET',
        url: CLIENT_ROUTES.examPackage,
        headers: { authorization: `Bearer ${spare.token}` },
      });
      expect(withheld.statusCode).toBe(409);
      expect(withheld.json()).toMatchObject({ error: { code: 'awaiting-approval' } });
      spare.key = client.key; // as if it knew the policy: still no answers
      const unseeded = await server.app.inject({
        method: 'GET',
        url: CLIENT_ROUTES.answers,
        headers: spare.headers(CLIENT_ROUTES.answers),
      });
      expect(unseeded.statusCode).toBe(409);
      expect(unseeded.body).not.toContain('Oslo');
      const held = await spare.upload([spare.append('focus.regained', { durationMs: 1 })]);
      expect(held.statusCode).toBe(409);
      expect(held.json()).toMatchObject({ error: { code: 'awaiting-approval' } });

      await approveSecondDevice(db.storage.db, spare.journalId);
      await spare.fetchPackage();
      expect((await spare.heartbeat()).json()).toMatchObject({ journalState: 'active' });
      const seeded = await server.app.inject({
        method: 'GET',
        url: CLIENT_ROUTES.answers,
        headers: spare.headers(CLIENT_ROUTES.answers),
      });
      expect(seeded.json()).toEqual({
        answers: { q2: { type: 'short-text', text: 'Oslo' } },
        place: null,
      });
      expect((await spare.upload(spare.records)).statusCode).toBe(200);
    });
  });

  describe('exam package', () => {
    it('verifies with the published key and fails after any change', async () => {
      await client.signIn();
      const signed = await client.fetchPackage();
      expect(signed.publicKey).toBe(server.keys.signing.publicKey);
      expect(signed.package.handInPublicKey).toBe(server.keys.handIn.publicKey);
      expect(verifyCanonical(signed.package, signed.signature, server.keys.signing.publicKey)).toBe(
        true,
      );
      const text = JSON.stringify(signed.package);
      // Change each character position class: a letter in a question, a digit in a time.
      for (const [from, to] of [
        ['"Pick"', '"Pjck"'],
        ['"durationMinutes":180', '"durationMinutes":181'],
        ['"number":"1001"', '"number":"1002"'],
      ] as const) {
        expect(text).toContain(from);
        const altered = JSON.parse(text.replace(from, to)) as unknown;
        expect(verifyCanonical(altered, signed.signature, server.keys.signing.publicKey)).toBe(
          false,
        );
      }
    });

    it('needs a valid token', async () => {
      const response = await server.app.inject({ method: 'GET', url: CLIENT_ROUTES.examPackage });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toMatchObject({ code: 'token' });
    });
  });

  describe('record upload', () => {
    it('acknowledges a batch with watermark, head hash, a nonce and server time', async () => {
      await signedIn();
      const r1 = client.append('session.started', {
        examId: server.exam.id,
        clientVersion: '1.0.0',
      });
      const r2 = client.append('answer.saved', {
        questionId: 'q1',
        value: { type: 'single-choice', optionId: 'a' },
      });
      const response = await client.upload([r1, r2]);
      expect(response.statusCode).toBe(200);
      const ack = response.json<Ack>();
      expect(ack).toMatchObject({ watermark: 2, headHash: r2.hash, serverTime: server.clock.now });
      expect(ack.nonce).toMatch(/^[0-9a-f]{32}$/);
      expect(await storedSeqs()).toEqual([1, 2]);
    });

    it('treats a retry after a lost response as idempotent: acknowledged, stored once', async () => {
      await signedIn();
      const batch = [
        client.append('focus.lost', { app: 'Discord' }),
        client.append('focus.regained', { durationMs: 900 }),
      ];
      expect((await client.upload(batch)).statusCode).toBe(200);
      const retry = await client.upload(batch);
      expect(retry.statusCode).toBe(200);
      expect(retry.json()).toMatchObject({ watermark: 2 });
      expect(await storedSeqs()).toEqual([1, 2]);
    });

    it('answers a gap with the seq it needs next', async () => {
      await signedIn();
      const [r1, r2, r3] = [1, 2, 3].map(() => client.append('focus.regained', { durationMs: 1 }));
      const response = await client.upload([r2!, r3!]);
      expect(response.statusCode).toBe(409);
      expect(response.json()).toMatchObject({ code: 'gap', expectedSeq: 1 });
      expect(await storedSeqs()).toEqual([]);
      expect((await client.upload([r1!, r2!, r3!])).statusCode).toBe(200);
    });

    it('refuses a fork and keeps the refused record in quarantine', async () => {
      await signedIn();
      const r1 = client.append('focus.regained', { durationMs: 1 });
      await client.upload([r1]);
      const other = chainRecord(null, {
        kind: 'focus.regained',
        at: r1.at,
        mono: r1.mono,
        payload: { durationMs: 2 },
      });
      const response = await client.upload([other]);
      expect(response.statusCode).toBe(409);
      expect(response.json()).toMatchObject({ code: 'fork', seq: 1 });
      expect(await quarantined()).toEqual([{ seq: 1, reason: 'fork' }]);
      expect(await storedSeqs()).toEqual([1]);
    });

    it('stores the valid prefix of a broken chain and quarantines the rest', async () => {
      await signedIn();
      const r1 = client.append('focus.regained', { durationMs: 1 });
      const r2 = client.append('focus.regained', { durationMs: 2 });
      const r3 = client.append('focus.regained', { durationMs: 3 });
      const tampered = { ...r2, payload: { durationMs: 20 } };
      const response = await client.upload([r1, tampered, r3]);
      expect(response.statusCode).toBe(409);
      expect(response.json()).toMatchObject({ code: 'chain', seq: 2 });
      expect(await storedSeqs()).toEqual([1]);
      expect(await quarantined()).toEqual([
        { seq: 2, reason: 'chain' },
        { seq: 3, reason: 'chain' },
      ]);
      // A record re-hashed after tampering still breaks the next link.
      const rehashed = { ...tampered, hash: recordHash(tampered) };
      expect((await client.upload([rehashed, r3])).json()).toMatchObject({ code: 'chain', seq: 3 });
    });

    it('refuses nonces returned out of the order issued', async () => {
      await signedIn();
      const first = await acknowledged(1);
      const second = await acknowledged(2);
      const n2 = client.append('sync.nonce', { nonce: second.nonce });
      const n1 = client.append('sync.nonce', { nonce: first.nonce });
      const response = await client.upload([n2, n1]);
      expect(response.statusCode).toBe(409);
      expect(response.json()).toMatchObject({ code: 'nonce' });
      expect(await storedSeqs()).toEqual([1, 2, 3]);
      expect(await quarantined()).toEqual([{ seq: 4, reason: 'nonce' }]);
    });

    it('refuses a nonce the server did not issue', async () => {
      await signedIn();
      const ack = await acknowledged(1);
      // One hex digit of the tag changed: whatever ordinal and time it claims, it is not ours.
      const forged = `${ack.nonce.slice(0, 31)}${ack.nonce.endsWith('0') ? '1' : '0'}`;
      const response = await client.upload([client.append('sync.nonce', { nonce: forged })]);
      expect(response.statusCode).toBe(409);
      expect(response.json()).toMatchObject({ code: 'nonce' });
      expect(await storedSeqs()).toEqual([1]);
      expect(await quarantined()).toEqual([{ seq: 2, reason: 'nonce' }]);
    });

    it('refuses a nonce returned a second time', async () => {
      await signedIn();
      const ack = await acknowledged(1);
      const once = client.append('sync.nonce', { nonce: ack.nonce });
      expect((await client.upload([once])).statusCode).toBe(200);
      const response = await client.upload([client.append('sync.nonce', { nonce: ack.nonce })]);
      expect(response.json()).toMatchObject({ code: 'nonce' });
      expect(await storedSeqs()).toEqual([1, 2]);
      expect(await quarantined()).toEqual([{ seq: 3, reason: 'nonce' }]);
    });

    it('bounds each record in time by the nonce journaled before it', async () => {
      await signedIn();
      await client.sync([client.append('focus.regained', { durationMs: 1 })]);
      const issuedAt = server.clock.now;
      server.clock.now += 60_000;
      await client.upload(
        client.records.slice(1).concat(client.append('focus.lost', { app: null })),
      );
      const rows = await db.storage.db
        .selectFrom('records')
        .select(['seq', 'not_before', 'received_at'])
        .orderBy('seq')
        .execute();
      expect(rows).toEqual([
        { seq: 1, not_before: null, received_at: issuedAt },
        { seq: 2, not_before: issuedAt, received_at: issuedAt + 60_000 },
        { seq: 3, not_before: issuedAt, received_at: issuedAt + 60_000 },
      ]);
    });

    it('refuses a wrong config key without storing anything', async () => {
      await signedIn();
      client.key = '0'.repeat(64);
      const response = await client.upload([client.append('focus.regained', { durationMs: 1 })]);
      expect(response.statusCode).toBe(403);
      expect(response.json()).toMatchObject({ code: 'config-key' });
      expect(await storedSeqs()).toEqual([]);
    });

    it('refuses an expired token (after the window and the offline grace)', async () => {
      await signedIn();
      server.clock.now = server.exam.closesAt + 24 * 3_600_000 + 1;
      const response = await client.upload([client.append('focus.regained', { durationMs: 1 })]);
      expect(response.statusCode).toBe(401);
      expect(response.json()).toMatchObject({ code: 'token' });
    });

    it("refuses another candidate's journal and changes nothing", async () => {
      await signedIn();
      const other = new ExamClient(server.app, {
        examCode: 'TEST-1',
        candidateNumber: '1002',
        personalCode: 'secret-2',
      });
      await other.signIn();
      await other.fetchPackage();
      await other.upload([other.append('focus.regained', { durationMs: 1 })]);
      const response = await client.upload(
        [client.append('focus.regained', { durationMs: 1 })],
        other.journalId,
      );
      expect(response.statusCode).toBe(403);
      expect(response.json()).toMatchObject({ error: { code: 'wrong-journal' } });
      expect(await storedSeqs(other.journalId)).toEqual([1]);
    });

    it('stores exactly one copy of concurrent duplicate batches', async () => {
      await signedIn();
      const batch = [1, 2, 3].map((n) => client.append('focus.regained', { durationMs: n }));
      const responses = await Promise.all([
        client.upload(batch),
        client.upload(batch),
        client.upload(batch),
      ]);
      expect(responses.map((r) => r.statusCode)).toEqual([200, 200, 200]);
      expect(await storedSeqs()).toEqual([1, 2, 3]);
    });

    it('continues after a server restart between batches', async () => {
      await signedIn();
      await client.sync([client.append('focus.regained', { durationMs: 1 })]);
      await server.app.close();
      const restarted = await testServer(await db.reopen(), server.keys, false);
      restarted.clock.now = server.clock.now;
      server = restarted;
      const again = Object.assign(client, { app: restarted.app });
      const response = await again.upload(
        client.records.slice(1).concat(client.append('focus.regained', { durationMs: 2 })),
      );
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ watermark: 3 });
    });

    it('refuses batches over the record or byte limit as too-large', async () => {
      await signedIn();
      const many = Array.from({ length: 501 }, () =>
        client.append('focus.regained', { durationMs: 1 }),
      );
      const response = await client.upload(many);
      expect(response.statusCode).toBe(413);
      expect(response.json()).toMatchObject({ code: 'too-large', maxRecords: 500 });
      const huge = await server.app.inject({
        method: 'POST',
        url: CLIENT_ROUTES.records,
        headers: { ...client.headers(CLIENT_ROUTES.records), 'content-type': 'application/json' },
        payload: JSON.stringify({
          journalId: client.journalId,
          records: [],
          pad: 'x'.repeat(1_100_000),
        }),
      });
      expect(huge.statusCode).toBe(413);
      expect(huge.json()).toMatchObject({ code: 'too-large' });
      expect(await storedSeqs()).toEqual([]);
    });
  });

  describe('heartbeat and submission', () => {
    it('repeats an instruction until the client journals it applied', async () => {
      await signedIn();
      const candidate = await getCandidate(
        db.storage.db,
        (
          await db.storage.db
            .selectFrom('candidates')
            .select('id')
            .where('candidate_number', '=', '1001')
            .executeTakeFirstOrThrow()
        ).id,
      );
      const id = await queueInstruction(
        db.storage.db,
        candidate.id,
        { kind: 'add-time', minutes: 10 },
        server.clock.now,
      );
      for (let i = 0; i < 2; i += 1) {
        expect((await client.heartbeat()).json()).toMatchObject({
          instructions: [{ id, kind: 'add-time', minutes: 10 }],
        });
      }
      await client.upload([client.append('instruction.applied', { id, kind: 'add-time' })]);
      expect((await client.heartbeat()).json()).toMatchObject({ watermark: 1, instructions: [] });
    });

    it('returns a receipt whose hash the server recomputed, and flags a mismatch', async () => {
      await signedIn();
      client.append('answer.saved', {
        questionId: 'q1',
        value: { type: 'single-choice', optionId: 'a' },
      });
      client.append('answer.saved', {
        questionId: 'q1',
        value: { type: 'single-choice', optionId: 'b' },
      });
      client.append('answer.saved', {
        questionId: 'q2',
        value: { type: 'short-text', text: 'Oslo' },
      });
      const answers = {
        q1: { type: 'single-choice', optionId: 'b' },
        q2: { type: 'short-text', text: 'Oslo' },
      } as const;
      const hash = answersHash(answers);
      client.append('submission.sealed', { answersHash: hash, headSeq: 3 });
      const ack = (await client.upload(client.records)).json<Ack>();
      expect(ack.receipt).toMatchObject({ answersHash: hash, headSeq: 3, matches: true });
      // Signed by the key the client pins, over exam, journal, hash and time: it proves itself
      // offline, and any changed field breaks it.
      const { signature, ...receipt } = ack.receipt!;
      const statement = receiptStatement(server.exam.id, client.journalId, receipt);
      const key = server.keys.signing.publicKey;
      expect(verifyCanonical(statement, signature!, key)).toBe(true);
      for (const forged of [
        { ...statement, receivedAt: statement.receivedAt + 60_000 },
        { ...statement, answersHash: 'f'.repeat(64) },
        { ...statement, journalId: randomUUID() },
      ])
        expect(verifyCanonical(forged, signature!, key)).toBe(false);

      const liar = new ExamClient(server.app, {
        examCode: 'TEST-1',
        candidateNumber: '1002',
        personalCode: 'secret-2',
      });
      await liar.signIn();
      await liar.fetchPackage();
      liar.append('answer.saved', {
        questionId: 'q2',
        value: { type: 'short-text', text: 'Bergen' },
      });
      liar.append('submission.sealed', { answersHash: hash, headSeq: 1 });
      const flagged = (await liar.upload(liar.records)).json<Ack>();
      expect(flagged.receipt).toMatchObject({ matches: false });
      expect(flagged.receipt?.answersHash).not.toBe(hash);
    });

    // PostgreSQL: an upload that waited for this journal's lock must see the submission the
    // upload it waited for stored. A query that waits for a row lock reads the rest as it was
    // when it began: why journal-lock.ts takes the lock in a statement of its own.
    it.runIf(dialect === 'postgres')(
      'does not apply an answer uploaded while the submission was being stored',
      async () => {
        await signedIn();
        const value = { type: 'short-text', text: 'Oslo' } as const;
        const answer = client.append('answer.saved', { questionId: 'q2', value });
        const seal = client.append('submission.sealed', {
          answersHash: answersHash({ q2: value }),
          headSeq: answer.seq,
        });
        const late = client.append('answer.saved', {
          questionId: 'q2',
          value: { type: 'short-text', text: 'Bergen' },
        });
        const uploads: Promise<{ statusCode: number }>[] = [];
        await db.storage.db.transaction().execute(async (trx) => {
          // Another request holds the journal: both uploads queue for it, the seal first.
          await trx
            .selectFrom('journals')
            .select('id')
            .where('id', '=', client.journalId)
            .forUpdate()
            .execute();
          const holder = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx))
            .rows[0]!.pid;
          for (const batch of [[answer, seal], [late]]) {
            uploads.push(client.upload(batch));
            await vi.waitFor(
              async () => {
                // Waiting for the holder, or (the second) for the first in the queue.
                const waiting = await sql<{ count: string }>`
                  with queue as (
                    select pid from pg_stat_activity where ${holder} = any(pg_blocking_pids(pid)))
                  select count(*) from pg_stat_activity
                  where pid in (select pid from queue)
                    or pg_blocking_pids(pid) && array(select pid from queue)
                `.execute(db.storage.db);
                expect(Number(waiting.rows[0]!.count)).toBe(uploads.length);
              },
              { timeout: 10_000, interval: 20 },
            );
          }
        });
        expect((await Promise.all(uploads)).map((response) => response.statusCode)).toEqual([
          200, 200,
        ]);
        const answers = await db.storage.db.selectFrom('answers').select('seq').execute();
        expect(answers).toEqual([{ seq: answer.seq }]);
        expect(await storedSeqs()).toEqual([1, 2, 3]);
      },
    );
  });

  it('serves an OpenAPI document generated from the schemas', async () => {
    const response = await server.app.inject({ method: 'GET', url: '/api/openapi.json' });
    const doc = response.json<{ paths: Record<string, unknown> }>();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(Object.values(CLIENT_ROUTES)));
  });
});
