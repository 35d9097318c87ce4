import { Agent } from 'node:http';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { answersHash } from '../../src/common/api';
import type { ExamSession } from '../../src/main/session/exam-session';
import { ServerApi } from '../../src/main/sync/server-api';
import { latestAnswers } from '../../src/server/repositories/answers';
import { approveSecondDevice } from '../../src/server/repositories/journals';
import {
  drained,
  listeningServer,
  testClient,
  until,
  type ListeningServer,
  type TestClient,
} from '../support/client-session';
import { FaultProxy } from '../support/fault-proxy';

/**
 * A candidate moves to a spare laptop (DESIGN.md "Journal identity"): the spare starts from the
 * candidate's answers on the server whatever happens to its replies, and the laptop it replaced
 * knows it was replaced. Real client sessions, a real server on loopback, a TCP fault proxy.
 */
describe('switching to a spare laptop', () => {
  let server: ListeningServer;
  let proxy: FaultProxy;
  /** The spare laptop's own network, so its faults hit only its requests. */
  let spareProxy: FaultProxy;
  let first: TestClient;
  const spares: TestClient[] = [];

  const credentials = { examCode: 'test-1', candidateNumber: '1001', personalCode: 'secret-1' };
  const text = (value: string) => ({ type: 'short-text' as const, text: value });
  const choice = (optionId: string) => ({ type: 'single-choice' as const, optionId });

  beforeEach(async () => {
    server = await listeningServer();
    proxy = await FaultProxy.start(server.port);
    spareProxy = await FaultProxy.start(server.port);
    first = await testClient(server, proxy.url);
    await first.session.signIn(credentials);
    await first.session.startExam();
    await first.session.saveAnswer('q2', text('from the first laptop'), true);
    await until(() => drained(first.session), "the first laptop's upload");
  });

  afterEach(async () => {
    for (const spare of spares.splice(0)) await spare.cleanup();
    await first.cleanup();
    await proxy.close();
    await spareProxy.close();
    const errors = server.serverErrors;
    await server.stop();
    expect(errors).toEqual([]);
  });

  async function spareLaptop(api?: ServerApi): Promise<TestClient> {
    const spare = await testClient(server, spareProxy.url, {
      machineId: () => Promise.resolve('spare-laptop'),
      ...(api ? { api } : {}),
    });
    spares.push(spare);
    return spare;
  }

  const waitingJournal = () =>
    server.db.storage.db
      .selectFrom('journals')
      .select('id')
      .where('state', '=', 'awaiting-approval')
      .executeTakeFirstOrThrow();

  async function submitAndCheck(session: ExamSession, answers: Record<string, unknown>) {
    await session.submit();
    await until(() => session.state().phase === 'submitted', 'the receipt');
    expect(session.state().problem).toBeNull();
    expect(session.state().receiptHash).toBe(answersHash(answers as never));
    const candidate = await server.db.storage.db
      .selectFrom('candidates')
      .select('id')
      .where('candidate_number', '=', '1001')
      .executeTakeFirstOrThrow();
    expect(await latestAnswers(server.db.storage.db, candidate.id)).toEqual(answers);
  }

  // F6: fails without the server deciding seeding (the second sign-in's reply said `active`).
  it('starts the spare from the answers when it signs in again after the approval', async () => {
    // On question 2 with both marked for review (a made-up id is dropped, not journaled).
    await first.session.keepPlace({ at: 'q2', marked: ['q1', 'q2', 'no-such-question'] });
    await until(() => drained(first.session), "the first laptop's place");
    const spare = await spareLaptop();
    // Sign-in passes, the first "am I approved?" is answered (not yet), the second is cut.
    spareProxy.setPlan([{ kind: 'pass' }, { kind: 'pass' }, { kind: 'refuse' }]);
    await expect(spare.session.signIn(credentials)).rejects.toMatchObject({ code: 'offline' });
    await approveSecondDevice(server.db.storage.db, (await waitingJournal()).id);

    await spare.session.signIn(credentials); // the same journal, now active
    await until(() => spare.session.state().problem === null, 'the seeding');
    expect(spare.session.exam().answers).toEqual({ q2: text('from the first laptop') });
    // The same question and the same marks on the spare.
    expect(spare.session.exam().place).toEqual({ at: 'q2', marked: ['q1', 'q2'] });
    await spare.session.startExam();
    await spare.session.saveAnswer('q1', choice('a'), true);
    await submitAndCheck(spare.session, {
      q1: choice('a'),
      q2: text('from the first laptop'),
    });
  });

  it('starts the spare from the answers after a restart while they were being fetched', async () => {
    /** The answers request never gets through on this run of the spare. */
    class NoAnswersApi extends ServerApi {
      override latestAnswers(): ReturnType<ServerApi['latestAnswers']> {
        return Promise.resolve({ kind: 'unreachable', message: 'cut' });
      }
    }
    const spare = await spareLaptop(
      new NoAnswersApi({
        baseUrl: spareProxy.url,
        publicUrl: server.publicUrl,
        timeoutMs: 5_000,
        httpAgent: new Agent({ keepAlive: false }),
      }),
    );
    const signingIn = spare.session.signIn(credentials);
    await until(() => spare.session.state().problem?.code === 'awaiting-approval', 'the hold');
    await approveSecondDevice(server.db.storage.db, (await waitingJournal()).id);
    await signingIn;
    expect(spare.session.state().problem?.code).toBe('fetching-answers');
    await spare.session.close();

    const again = spare.restart({ api: undefined });
    expect(await again.resume()).toBe(true);
    // Known from the session file before any reply: no blank exam to start from.
    await expect(again.startExam()).rejects.toMatchObject({ code: 'not-seeded' });
    await until(() => again.state().problem === null, 'the seeding after the restart');
    expect(again.exam().answers).toEqual({ q2: text('from the first laptop') });
    await again.startExam();
    await submitAndCheck(again, { q2: text('from the first laptop') });
    const kinds = (await again.sync.journal.allRecords()).map((record) => record.kind);
    expect(kinds.filter((kind) => kind === 'answers.seeded')).toHaveLength(1);
    // The server heard it too, and stops asking.
    const journal = await server.db.storage.db
      .selectFrom('journals')
      .select('needs_answers')
      .where('id', '=', again.journalId!)
      .executeTakeFirstOrThrow();
    expect(journal.needs_answers).toBe(0);
  });

  it('tells the replaced laptop, which never calls a later save received', async () => {
    const spare = await spareLaptop();
    const signingIn = spare.session.signIn(credentials);
    await until(() => spare.session.state().problem?.code === 'awaiting-approval', 'the hold');
    await approveSecondDevice(server.db.storage.db, (await waitingJournal()).id);
    await signingIn;
    await until(() => spare.session.state().problem === null, 'the seeding');

    const old = first.session;
    await until(() => old.state().problem?.code === 'replaced', 'the old laptop told');
    await old.saveAnswer('q1', choice('b'), true);
    await until(() => drained(old), "the old laptop's upload (kept as evidence)");
    expect(old.state().saves).toEqual({ q2: 'received-by-server', q1: 'saved-locally' });
    expect(old.state().problem?.code).toBe('replaced');

    // A restart of the old laptop still knows, before any reply.
    await old.close();
    const reopened = first.restart();
    expect(await reopened.resume()).toBe(true);
    expect(reopened.state().problem?.code).toBe('replaced');
    expect(reopened.state().saves.q1).toBe('saved-locally');

    await spare.session.startExam();
    await submitAndCheck(spare.session, { q2: text('from the first laptop') });
  });
});
