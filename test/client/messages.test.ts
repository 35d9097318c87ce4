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
 * Messages both ways, laptop and server together: an invigilator's message is shown until the
 * candidate says they read it (and the invigilator sees "read"); a candidate's raised hand
 * reaches the invigilator's row until someone answers it.
 */
describe('messages and raised hands', () => {
  let server: ListeningServer;
  let client: TestClient;
  let candidateId: string;
  let cookie: string;

  beforeEach(async () => {
    server = await listeningServer();
    client = await testClient(server, server.url);
    candidateId = await candidateIdOf(server.db.storage, '1001');
    ({ cookie } = await staffCookie(server.app, server.db.storage, 'i@vakt.test', 'admin'));
    await client.session.signIn({
      examCode: 'TEST-1',
      candidateNumber: '1001',
      personalCode: 'secret-1',
    });
    await client.session.startExam();
  });

  afterEach(async () => {
    await client.cleanup();
    const errors = server.serverErrors;
    await server.stop();
    expect(errors).toEqual([]);
  });

  const staff = (method: 'GET' | 'POST', path: string, payload?: Record<string, unknown>) =>
    server.app.inject({
      method,
      url: `${STAFF_API_PREFIX}/exams/${server.exam.id}${path}`,
      headers: { cookie },
      ...(payload ? { payload } : {}),
    });
  const detail = async () =>
    (await staff('GET', `/candidates/${candidateId}`)).json<CandidateDetail>();

  it('shows a message until it is read, and the invigilator sees when', async () => {
    const { session } = client;
    const text = '<b>Ten minutes</b> left: check your names on every page.';
    const sent = await staff('POST', '/instructions', { candidates: 'all', kind: 'message', text });
    // Both candidates of the exam; only 1001 has a laptop here.
    expect(sent.json()).toEqual({ sent: 2, refused: [] });
    await until(() => session.state().messages.length === 1, 'the message');
    // Plain text, exactly as written: markup is the renderer's to show as text.
    expect(session.state().messages[0]!.text).toBe(text);

    const id = session.state().messages[0]!.id;
    expect((await session.readMessage(id)).messages).toEqual([]);
    await expect
      .poll(async () => (await detail()).instructions.find((i) => i.id === id)?.readAt ?? null)
      .not.toBeNull();

    // Text is for messages only; a message needs some.
    expect(
      (await staff('POST', '/instructions', { candidates: 'all', kind: 'lock', text })).statusCode,
    ).toBe(400);
    expect(
      (await staff('POST', '/instructions', { candidates: 'all', kind: 'message', text: '  ' }))
        .statusCode,
    ).toBe(400);
  });

  it('raises a hand to the invigilator, who answers it', async () => {
    const { session } = client;
    await session.raiseHand('  My screen went dark  ');
    expect(session.state().handRaised).toBe(true);
    await expect.poll(async () => (await detail()).candidate.handText).toBe('My screen went dark');
    expect((await detail()).candidate.handRaisedAt).not.toBeNull();

    const answered = await staff('POST', `/candidates/${candidateId}/instructions`, {
      kind: 'hand-answered',
    });
    expect(answered.statusCode).toBe(200);
    // Off the invigilators' list at once, and down on the laptop with its next heartbeat.
    expect((await detail()).candidate.handRaisedAt).toBeNull();
    await until(() => !session.state().handRaised, 'the hand lowered');
    const kinds = (await session.sync.journal.allRecords()).map((record) => record.kind);
    expect(kinds).toEqual(expect.arrayContaining(['hand.raised', 'hand.lowered']));
  });
});
