import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { parseExamFile } from '../../src/common/exam-file';
import { SessionError } from '../../src/main/session/session-error';
import { insertCandidate } from '../../src/server/repositories/candidates';
import { insertExam } from '../../src/server/repositories/exams';
import {
  listeningServer,
  testClient,
  until,
  type ListeningServer,
  type TestClient,
} from '../support/client-session';
import { TEST_EXAM } from '../support/server';

const MINUTE = 60_000;

/**
 * The waiting room: a candidate signs in before the exam opens (within the server's waiting
 * room, 60 minutes by default), passes the checks, and the exam opens and starts by itself at
 * the opening on the server's clock. Not one question reaches the laptop before then.
 */
describe('the waiting room', () => {
  let server: ListeningServer;
  let client: TestClient;
  let opensAt: number;
  const credentials = { examCode: 'WAIT-1', candidateNumber: '2001', personalCode: 'wait-code' };

  beforeEach(async () => {
    server = await listeningServer();
    opensAt = server.clock.now + 30 * MINUTE;
    const parsed = parseExamFile({
      ...TEST_EXAM,
      code: 'WAIT-1',
      window: {
        opensAt: new Date(opensAt).toISOString(),
        closesAt: new Date(opensAt + 240 * MINUTE).toISOString(),
      },
      content: { ...TEST_EXAM.content, title: 'Norsk hovedmål' },
    });
    if (!parsed.ok) throw new Error(parsed.problems.join('; '));
    const exam = await insertExam(server.db.storage.db, parsed.value, server.clock.now);
    await insertCandidate(server.db.storage.db, exam.id, {
      candidateNumber: '2001',
      name: 'Ada',
      personalCode: 'wait-code',
    });
  });

  afterEach(async () => {
    await client?.cleanup();
    const errors = server.serverErrors;
    await server.stop();
    expect(errors).toEqual([]);
  });

  /** A client whose session starts the exam when it opens, as the app's wiring does. */
  async function waitingClient(): Promise<TestClient> {
    let started: Promise<unknown> = Promise.resolve();
    const made = await testClient(server, server.url, {
      onOpened: () => {
        started = made.session.startExam();
        void started.catch(() => undefined);
      },
    });
    return made;
  }

  it('refuses a sign-in before the waiting room opens, and says from when', async () => {
    client = await waitingClient();
    server.clock.now = opensAt - 61 * MINUTE;
    const refused = await client.session.signIn(credentials).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(SessionError);
    expect(refused).toMatchObject({
      code: 'exam-not-open',
      params: { opensAt, signInFrom: opensAt - 60 * MINUTE },
    });
  });

  it('waits with no questions, then opens and starts by itself on the server clock', async () => {
    client = await waitingClient();
    const { session } = client;
    await session.signIn(credentials);
    const state = session.state();
    expect(state.phase).toBe('preflight');
    expect(state.opening).toEqual({ opensAt, title: 'Norsk hovedmål' });
    // Nothing of the questions on this laptop: not in the package, not to the screen.
    expect(session.examPackage?.content).toBeNull();
    expect(() => session.exam()).toThrow(/not-open/);
    await expect(session.startExam()).rejects.toThrow(/not-open/);

    // A restart in the waiting room comes back to it.
    await session.close();
    const again = client.restart({
      onOpened: () => void again.startExam().catch(() => undefined),
    });
    expect(await again.resume()).toBe(true);
    expect(again.state().opening?.opensAt).toBe(opensAt);

    // The server's clock reaches the opening (this computer's clock does not move): the next
    // heartbeat tells the client, which fetches the questions and starts.
    server.clock.now = opensAt + 1_000;
    await until(() => again.state().phase === 'in-progress', 'the exam to start by itself');
    expect(again.state().opening).toBeNull();
    expect(again.exam().content.title).toBe('Norsk hovedmål');
    // The time counts from the opening (give or take the heartbeat that told the client).
    const duration = again.examPackage!.policy.timing.durationMinutes * MINUTE;
    const deadline = again.state().deadline!;
    expect(deadline).toBeGreaterThanOrEqual(opensAt + duration);
    expect(deadline).toBeLessThan(opensAt + duration + 30_000);
    const kinds = (await again.sync.journal.allRecords()).map((record) => record.kind);
    expect(kinds.filter((kind) => kind === 'exam.started')).toHaveLength(1);
  });
});
