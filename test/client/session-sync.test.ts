import { Agent } from 'node:http';

import { ed25519 } from '@noble/curves/ed25519.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { answersHash } from '../../src/common/api';
import { signCanonical } from '../../src/common/signing';
import { STAFF_API_PREFIX } from '../../src/common/staff-api';
import { SessionError } from '../../src/main/session/session-error';
import { ServerApi } from '../../src/main/sync/server-api';
import { approveSecondDevice } from '../../src/server/repositories/journals';
import {
  listeningServer,
  storedRecords,
  testClient,
  until,
  type ListeningServer,
  type TestClient,
  drained,
} from '../support/client-session';
import { FaultProxy } from '../support/fault-proxy';
import { candidateIdOf } from '../support/server';
import { staffCookie } from '../support/staff';

/**
 * The client's session and sync against the real exam server on loopback, through a TCP proxy
 * that can take the network away.
 */
describe('exam session against the server', () => {
  let server: ListeningServer;
  let proxy: FaultProxy;
  let client: TestClient;

  const credentials = { examCode: 'test-1', candidateNumber: '1001', personalCode: 'secret-1' };
  const text = (value: string) => ({ type: 'short-text' as const, text: value });

  beforeEach(async () => {
    server = await listeningServer();
    proxy = await FaultProxy.start(server.port);
    client = await testClient(server, proxy.url);
  });

  afterEach(async () => {
    await client.cleanup();
    await proxy.close();
    const errors = server.serverErrors;
    await server.stop();
    expect(errors).toEqual([]);
  });

  const journalOf = async () => (await client.session.sync.journal.allRecords()).map(pick);
  const pick = ({ seq, hash }: { seq: number; hash: string }) => ({ seq, hash });

  it('signs in, answers and submits online: the receipt is the hash of the local answers', async () => {
    const { session } = client;
    const signedIn = await session.signIn(credentials);
    expect(signedIn.phase).toBe('preflight');
    expect(session.exam().content.questions.map((q) => q.id)).toEqual(['q1', 'q2']);
    const started = await session.startExam();
    expect(started.phase).toBe('in-progress');
    // Extra time 0, 180 minutes by default, on the server's clock (2027, not this machine's).
    expect(started.deadline).toBeGreaterThan(server.clock.now + 179 * 60_000);

    expect(await session.saveAnswer('q1', { type: 'single-choice', optionId: 'b' }, true)).toEqual({
      saved: true,
    });
    await session.saveAnswer('q2', text('Os'));
    await session.saveAnswer('q2', text('Oslo'), true);
    await session.submit();
    await until(() => session.state().phase === 'submitted', 'the receipt');

    const local = answersHash({ q1: { type: 'single-choice', optionId: 'b' }, q2: text('Oslo') });
    expect(session.state().receiptHash).toBe(local);
    // The UI is told too: the last state pushed says submitted, with the same receipt.
    await until(() => client.states.at(-1)?.phase === 'submitted', 'the push to the UI');
    expect(client.states.at(-1)?.receiptHash).toBe(local);
    // The receipt carries the server's signature, checked against the pinned key; the session
    // file keeps it, so it proves itself later without the server.
    expect(session.state().receiptSignature).toMatch(/^[0-9a-f]{128}$/);
    await until(() => drained(session), 'the drain');
    const stored = await storedRecords(server, session.journalId!);
    const records = await session.sync.journal.allRecords();
    // Everything is stored, in order, but nonces journaled after the last acknowledgements.
    expect(records.slice(0, stored.length).map(pick)).toEqual(stored);
    expect(records.slice(stored.length).every((record) => record.kind === 'sync.nonce')).toBe(true);

    // Every answer the server holds is shown as received by it.
    expect(session.state().saves).toEqual({ q1: 'received-by-server', q2: 'received-by-server' });

    // Handed in: the candidate may leave, and the next start is a fresh sign-in.
    expect(await session.requestExit()).toEqual({ allowed: true });
    expect(await client.restart().resume()).toBe(false);
    // What the Electron layer saw: lockdown engages at preflight and is released at the end.
    expect(client.phases).toEqual([
      'preflight',
      'in-progress',
      'submitting',
      'submitted',
      'exiting',
    ]);
  });

  it('sits the whole exam offline, seals the submission, and delivers it all on reconnect', async () => {
    const { session } = client;
    await session.signIn(credentials);
    proxy.offline = true;
    await session.startExam();
    for (let i = 0; i < 20; i += 1) {
      expect(await session.saveAnswer('q2', text(`draft ${i}`), true)).toEqual({ saved: true });
    }
    await session.saveAnswer('q1', { type: 'single-choice', optionId: 'a' }, true);
    await until(() => session.state().connectivity === 'offline', 'offline');
    const sealed = await session.submit();
    expect(sealed.phase).toBe('submitting');
    expect(sealed.unsyncedRecords).toBeGreaterThan(20);
    const local = answersHash({
      q1: { type: 'single-choice', optionId: 'a' },
      q2: text('draft 19'),
    });

    proxy.offline = false;
    await until(() => session.state().phase === 'submitted', 'the receipt after reconnect');
    expect(session.state().receiptHash).toBe(local);
    expect(session.state().connectivity).toBe('online');
    await until(() => drained(session), 'the drain');
    const kinds = (await session.sync.journal.allRecords()).map((record) => record.kind);
    expect(kinds).toContain('network.offline');
    expect(kinds).toContain('network.online');
    const stored = await storedRecords(server, session.journalId!);
    expect((await journalOf()).slice(0, stored.length)).toEqual(stored);
  });

  it('submits by itself when time runs out offline, and the receipt matches once back', async () => {
    const { session } = client;
    // Three seconds before the exam closes: the deadline is the close.
    server.clock.now = server.exam.closesAt - 3_000;
    await session.signIn(credentials);
    const { deadline } = await session.startExam();
    expect(deadline).toBe(server.exam.closesAt);
    await session.saveAnswer('q2', text('written online'), true);
    await until(() => drained(session), 'the first upload');

    proxy.offline = true;
    await session.saveAnswer('q2', text('the last words, offline'), true);
    await until(() => session.state().phase === 'submitting', 'the time-up submission', 15_000);
    const sealed = (await session.sync.journal.allRecords()).find(
      (record) => record.kind === 'submission.sealed',
    );
    expect(sealed?.payload).toMatchObject({
      answersHash: answersHash({ q2: text('the last words, offline') }),
    });

    // The network returns a minute after the close, within the offline grace.
    server.clock.now = server.exam.closesAt + 60_000;
    proxy.offline = false;
    await until(() => session.state().phase === 'submitted', 'the receipt', 15_000);
    const submission = await server.db.storage.db
      .selectFrom('submissions')
      .select('matches')
      .executeTakeFirstOrThrow();
    expect(submission.matches).toBe(1);
    const flags = await server.db.storage.db.selectFrom('server_flags').select('kind').execute();
    expect(flags).toEqual([]);
  });

  it('round-trips a hand-in file through the server upload route', async () => {
    const { session } = client;
    await session.signIn(credentials);
    proxy.offline = true;
    await session.startExam();
    await session.saveAnswer('q2', text('handed in'), true);
    await session.submit();
    const { fileName } = await session.exportHandIn(client.dataDir + '/export');
    expect(fileName).toMatch(/^vakt-hand-in-TEST-1-1001-[0-9a-f]{8}\.json$/);
    const { readFile } = await import('node:fs/promises');
    const file: unknown = JSON.parse(
      await readFile(`${client.dataDir}/export/${fileName}`, 'utf8'),
    );

    const { cookie } = await staffCookie(server.app, server.db.storage, 'a@vakt.test', 'admin');
    const response = await server.app.inject({
      method: 'POST',
      url: `${STAFF_API_PREFIX}/exams/${server.exam.id}/hand-in`,
      headers: { cookie },
      payload: file as Record<string, unknown>,
    });
    expect(response.statusCode).toBe(200);
    // The file holds the journal as it was when exported (the seal included); the link may
    // have journaled going offline since.
    const records = await session.sync.journal.allRecords();
    const sealed = records.find((record) => record.kind === 'submission.sealed')!;
    const { watermark } = response.json<{ watermark: number; refusal: unknown }>();
    expect(response.json()).toMatchObject({ refusal: null });
    expect(watermark).toBeGreaterThanOrEqual(sealed.seq);
    const stored = await storedRecords(server, session.journalId!);
    expect(stored).toEqual((await journalOf()).slice(0, watermark));
    const submission = await server.db.storage.db
      .selectFrom('submissions')
      .selectAll()
      .where('journal_id', '=', session.journalId!)
      .executeTakeFirstOrThrow();
    expect(submission.server_answers_hash).toBe(answersHash({ q2: text('handed in') }));
    expect(submission.matches).toBe(1);
  });

  it('resumes after a restart: answers, phase and deadline come back from the journal', async () => {
    const { session } = client;
    await session.signIn(credentials);
    const { deadline } = await session.startExam();
    await session.saveAnswer('q2', text('before the crash'), true);
    await until(() => drained(session), 'the drain');
    const journalId = session.journalId;
    await session.close();

    proxy.offline = true;
    const again = client.restart();
    expect(await again.resume()).toBe(true);
    expect(again.journalId).toBe(journalId);
    const state = again.state();
    expect(state).toMatchObject({ phase: 'in-progress', deadline });
    expect(again.exam().answers).toEqual({ q2: text('before the crash') });
    expect(state.saves).toEqual({ q2: 'received-by-server' });
    await again.saveAnswer('q2', text('after the crash'), true);
    proxy.offline = false;
    await until(() => drained(again), 'the drain after restart');
    const stored = await storedRecords(server, journalId!);
    const journal = (await again.sync.journal.allRecords()).map(pick);
    expect(journal.slice(0, stored.length)).toEqual(stored);
  });

  it('goes on uploading when the candidate signs in again after the token was refused', async () => {
    const { session } = client;
    await session.signIn(credentials);
    await session.startExam();
    await session.saveAnswer('q2', text('first'), true);
    await until(() => drained(session), 'the first upload');
    await session.close();
    // Restarted, the client no longer holds the personal code; then the server forgets the
    // token (expired, or revoked).
    const again = client.restart();
    expect(await again.resume()).toBe(true);
    await server.db.storage.db.deleteFrom('sessions').execute();
    await again.saveAnswer('q2', text('written while refused'), true);
    await until(() => again.state().problem?.code === 'token', 'the token refusal');

    await expect(again.signIn({ ...credentials, personalCode: 'wrong' })).rejects.toMatchObject({
      code: 'wrong-credentials',
    });
    expect(again.state().problem?.code).toBe('token');
    await again.signIn(credentials);
    await until(() => drained(again), 'uploads after signing in again');
    expect(again.state().problem).toBeNull();
    const stored = await storedRecords(server, again.journalId!);
    const journal = (await again.sync.journal.allRecords()).map(pick);
    expect(journal.slice(0, stored.length)).toEqual(stored);
    expect(stored.length).toBeGreaterThanOrEqual(journal.length - 1);
  });

  it('resumes after a crash with no snapshot: the state is rebuilt from the whole journal', async () => {
    const { session } = client;
    await session.signIn(credentials);
    const { deadline } = await session.startExam();
    await session.saveAnswer('q1', { type: 'single-choice', optionId: 'a' }, true);
    await session.saveAnswer('q2', text('last words'), true);
    await until(() => drained(session), 'the drain');
    expect(session.sync.journal.anchoredSeq).toBeGreaterThan(0);
    // The process dies: its timers stop, nothing is closed and no snapshot is written.
    await session.sync.heartbeat.stop();
    await session.sync.outbox.close();

    const again = client.restart();
    expect(await again.resume()).toBe(true);
    expect(again.state()).toMatchObject({ phase: 'in-progress', deadline });
    expect(again.exam().answers).toEqual({
      q1: { type: 'single-choice', optionId: 'a' },
      q2: text('last words'),
    });
  });

  it('applies invigilator instructions once: add time, lock and unlock', async () => {
    const { session } = client;
    await session.signIn(credentials);
    const { deadline } = await session.startExam();
    const { cookie } = await staffCookie(server.app, server.db.storage, 'i@vakt.test', 'admin');
    const candidateId = await candidateIdOf(server.db.storage, '1001');
    const instruct = (payload: Record<string, unknown>) =>
      server.app.inject({
        method: 'POST',
        url: `${STAFF_API_PREFIX}/exams/${server.exam.id}/candidates/${candidateId}/instructions`,
        headers: { cookie },
        payload,
      });
    // Given in the same millisecond of the server's (stopped) clock: order is kept all the same.
    await instruct({ kind: 'add-time', minutes: 15 });
    await instruct({ kind: 'lock' });
    await until(() => session.state().phase === 'locked', 'the lock');
    expect(session.state().deadline).toBe(deadline! + 15 * 60_000);
    await expect(session.saveAnswer('q2', text('while locked'))).rejects.toThrow(SessionError);
    await instruct({ kind: 'unlock' });
    await until(() => session.state().phase === 'in-progress', 'the unlock');
    // The server repeats instructions until it stores instruction.applied: give it a few beats.
    await new Promise((resolve) => setTimeout(resolve, 800));
    const applied = (await session.sync.journal.allRecords()).filter(
      (record) => record.kind === 'instruction.applied',
    );
    expect(applied.map((record) => (record.payload as { kind: string }).kind)).toEqual([
      'add-time',
      'lock',
      'unlock',
    ]);
    expect(session.state().deadline).toBe(deadline! + 15 * 60_000);
  });

  it('holds a second device until approved, then starts it from the latest answers', async () => {
    const first = client.session;
    await first.signIn(credentials);
    await first.startExam();
    await first.saveAnswer('q2', text('written on the first laptop'), true);
    await until(() => drained(first), "the first laptop's upload");

    const spare = await testClient(server, proxy.url, {
      machineId: () => Promise.resolve('spare-laptop'),
    });
    try {
      const second = spare.session;
      // Signing in waits, saying so, until an invigilator approves this computer.
      const signingIn = second.signIn(credentials);
      await until(() => second.state().problem?.code === 'awaiting-approval', 'the hold');
      expect(second.state().phase).toBe('signed-out');
      const pending = await server.db.storage.db
        .selectFrom('journals')
        .select('id')
        .where('state', '=', 'awaiting-approval')
        .executeTakeFirstOrThrow();

      const { cookie } = await staffCookie(server.app, server.db.storage, 'd@vakt.test', 'admin');
      const candidate = await server.db.storage.db
        .selectFrom('candidates')
        .select('id')
        .where('candidate_number', '=', '1001')
        .executeTakeFirstOrThrow();
      const approval = await server.app.inject({
        method: 'POST',
        url: `${STAFF_API_PREFIX}/exams/${server.exam.id}/candidates/${candidate.id}/instructions`,
        headers: { cookie },
        payload: { kind: 'approve-device', journalId: pending.id },
      });
      expect(approval.statusCode).toBe(200);
      await signingIn;
      expect(second.journalId).toBe(pending.id);

      await until(() => second.state().problem === null, 'the approval');
      expect(second.exam().answers).toEqual({ q2: text('written on the first laptop') });
      await until(() => drained(second), "the second laptop's upload");
      const stored = await storedRecords(server, second.journalId!);
      const journal = (await second.sync.journal.allRecords()).map(pick);
      expect(stored.length).toBeGreaterThan(0);
      expect(journal.slice(0, stored.length)).toEqual(stored);
    } finally {
      await spare.cleanup();
    }
  });

  it('seals every save acknowledged before submitting, and refuses every save after', async () => {
    const { session } = client;
    await session.signIn(credentials);
    await session.startExam();
    const first = session.saveAnswer('q2', text('draft'));
    const typing = session.saveAnswer('q2', text('final words')); // coalesced, not yet written
    const submitting = session.submit();
    await expect(session.saveAnswer('q2', text('too late'))).rejects.toMatchObject({
      code: 'not-answering',
    });
    expect(await first).toEqual({ saved: true });
    expect(await typing).toEqual({ saved: true });
    await submitting;
    const records = await session.sync.journal.allRecords();
    const sealAt = records.findIndex((record) => record.kind === 'submission.sealed');
    expect(records.slice(sealAt + 1).map((record) => record.kind)).not.toContain('answer.saved');
    expect(records[sealAt]!.payload).toMatchObject({
      answersHash: answersHash({ q2: text('final words') }),
    });
    await until(() => session.state().phase === 'submitted', 'the receipt');
    const submission = await server.db.storage.db
      .selectFrom('submissions')
      .select('matches')
      .executeTakeFirstOrThrow();
    expect(submission.matches).toBe(1);
  });

  it('does not call a submission the server could not match submitted, and says so', async () => {
    const { session } = client;
    await session.signIn(credentials);
    await session.startExam();
    await session.saveAnswer('q2', text('mine'), true);
    await until(() => drained(session), 'the upload');
    // The server's copy differs (as after a device switch gone wrong).
    await server.db.storage.db
      .updateTable('answers')
      .set({ value: JSON.stringify(text('something else')) })
      .execute();
    await session.submit();
    await until(() => session.state().problem?.code === 'receipt-mismatch', 'the mismatch');
    expect(session.state().phase).toBe('submitting');
    expect(session.state().problem).toEqual({ code: 'receipt-mismatch', params: {} });
    expect(await session.requestExit()).toEqual({ allowed: false });
    const flags = await server.db.storage.db.selectFrom('server_flags').select('kind').execute();
    expect(flags).toEqual([{ kind: 'submission.mismatch' }]);
  });

  it.each([
    ['the sign-in reply is cut', [{ kind: 'cut' as const }]],
    ['the exam package download fails', [{ kind: 'pass' as const }, { kind: 'refuse' as const }]],
  ])('signs in again with the same journal when %s', async (_what, faults) => {
    proxy.setPlan(faults);
    await expect(client.session.signIn(credentials)).rejects.toMatchObject({ code: 'offline' });
    expect(proxy.pending).toBe(0);
    await client.session.signIn(credentials);
    expect(client.session.state().phase).toBe('preflight');
    expect(client.session.state().problem).toBeNull();
    const journals = await server.db.storage.db
      .selectFrom('journals')
      .select(['id', 'state'])
      .execute();
    expect(journals).toEqual([{ id: client.session.journalId, state: 'active' }]);
  });

  it('does not let an approved second device start blank when fetching the answers fails once', async () => {
    const first = client.session;
    await first.signIn(credentials);
    await first.startExam();
    await first.saveAnswer('q2', text('from the first laptop'), true);
    await until(() => drained(first), "the first laptop's upload");

    /** The answers request fails the first time, as a cut connection would. */
    class FlakyApi extends ServerApi {
      failures = 1;
      override latestAnswers(): ReturnType<ServerApi['latestAnswers']> {
        if (this.failures-- > 0) return Promise.resolve({ kind: 'unreachable', message: 'cut' });
        return super.latestAnswers();
      }
    }
    const api = new FlakyApi({
      baseUrl: proxy.url,
      publicUrl: server.publicUrl,
      timeoutMs: 5_000,
      httpAgent: new Agent({ keepAlive: false }),
    });
    const spare = await testClient(server, proxy.url, {
      api,
      machineId: () => Promise.resolve('spare-laptop'),
    });
    try {
      const second = spare.session;
      const signingIn = second.signIn(credentials);
      await until(() => second.state().problem?.code === 'awaiting-approval', 'the hold');
      const pending = await server.db.storage.db
        .selectFrom('journals')
        .select('id')
        .where('state', '=', 'awaiting-approval')
        .executeTakeFirstOrThrow();
      await approveSecondDevice(server.db.storage.db, pending.id);
      await signingIn;
      // Not seeded yet (the first try failed): the candidate cannot start from a blank exam.
      expect(second.state().problem?.code).toBe('fetching-answers');
      await expect(second.startExam()).rejects.toMatchObject({ code: 'not-seeded' });
      await until(() => second.state().problem === null, 'the seeding');
      expect(api.failures).toBeLessThan(0);
      expect(second.exam().answers).toEqual({ q2: text('from the first laptop') });
      await second.startExam();
      await second.submit();
      await until(() => second.state().phase === 'submitted', 'the receipt');
    } finally {
      await spare.cleanup();
    }
  });

  it("refuses another candidate's exam package, even one our server signed", async () => {
    /** A server (or a proxy with its key) that answers with the package of candidate 1002. */
    class SwappingApi extends ServerApi {
      override async examPackage(): ReturnType<ServerApi['examPackage']> {
        const outcome = await super.examPackage();
        if (outcome.kind !== 'ok') return outcome;
        const other = { ...outcome.value.package, candidate: { number: '1002', extraMinutes: 0 } };
        const signature = signCanonical(other, server.keys.signing.secretKey);
        return { ...outcome, value: { ...outcome.value, package: other, signature } };
      }
    }
    const swapped = await testClient(server, proxy.url, {
      api: new SwappingApi({
        baseUrl: proxy.url,
        publicUrl: server.publicUrl,
        timeoutMs: 5_000,
        httpAgent: new Agent({ keepAlive: false }),
      }),
    });
    try {
      await expect(swapped.session.signIn(credentials)).rejects.toMatchObject({
        code: 'package-mismatch',
      });
      expect(swapped.session.state().phase).toBe('signed-out');
    } finally {
      await swapped.cleanup();
    }
  });

  it('accepts a package signed by either key while IT rotates the pinned key', async () => {
    const next = bytesToHex(ed25519.keygen().publicKey);
    const rotating = await testClient(server, proxy.url, {
      pinnedPublicKeys: [next, server.keys.signing.publicKey],
    });
    try {
      await rotating.session.signIn(credentials);
      expect(rotating.session.state().phase).toBe('preflight');
    } finally {
      await rotating.cleanup();
    }
  });

  it('refuses an exam package signed by a key other than the pinned one', async () => {
    const other = bytesToHex(ed25519.keygen().publicKey);
    const stranger = await testClient(server, proxy.url, { pinnedPublicKeys: [other] });
    try {
      await expect(stranger.session.signIn(credentials)).rejects.toMatchObject({
        code: 'package-signature',
      });
      expect(stranger.session.state().phase).toBe('signed-out');
    } finally {
      await stranger.cleanup();
    }
  });

  it("passes on the server's code for wrong credentials, and says when it is offline", async () => {
    await expect(
      client.session.signIn({ ...credentials, personalCode: 'wrong' }),
    ).rejects.toMatchObject({ code: 'wrong-credentials' });
    proxy.offline = true;
    await expect(client.session.signIn(credentials)).rejects.toMatchObject({ code: 'offline' });
  });
});
