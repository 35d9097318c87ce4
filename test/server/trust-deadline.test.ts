import { beforeEach, describe, expect, it } from 'vitest';

import { answersHash, type Ack } from '../../src/common/api';
import { canonicalJson } from '../../src/common/canonical-json';
import { candidateRows } from '../../src/server/repositories/candidate-rows';
import { updateExam } from '../../src/server/repositories/exams';
import { queueInstruction } from '../../src/server/repositories/instructions';
import { DIALECTS } from '../support/databases';
import { ExamClient } from '../support/exam-client';
import { serverSuite } from '../support/server';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * Server trust, item 2: answers freeze at submission and at the deadline. Later records are
 * kept (nothing is lost) but do not change the submitted answers, and the candidate is flagged.
 */
describe.each(DIALECTS)('answers after submission and after time on %s', (dialect) => {
  const suite = serverSuite(dialect);
  let client: ExamClient;

  beforeEach(async () => {
    client = new ExamClient(suite.server.app);
    expect((await client.signIn()).statusCode).toBe(200);
    await client.fetchPackage();
  });

  const essay = (text: string) => ({ type: 'short-text' as const, text });
  const save = (text: string) =>
    client.append('answer.saved', { questionId: 'q2', value: essay(text) });

  const storedAnswer = async () =>
    (
      await suite.db.storage.db
        .selectFrom('answers')
        .select('value')
        .where('question_id', '=', 'q2')
        .executeTakeFirst()
    )?.value ?? null;
  const storedSeqs = async () =>
    (await suite.db.storage.db.selectFrom('records').select('seq').orderBy('seq').execute()).map(
      (r) => r.seq,
    );
  const flagKinds = async () =>
    (
      await suite.db.storage.db.selectFrom('server_flags').select('kind').orderBy('at').execute()
    ).map((f) => f.kind);

  it('keeps an answer sent after the submission, but the submitted answer stands', async () => {
    save('final answer');
    client.append('submission.sealed', {
      answersHash: answersHash({ q2: essay('final answer') }),
      headSeq: 1,
    });
    const sealed = await client.sync(client.records);
    expect(sealed.json<Ack>().receipt).toMatchObject({ matches: true });

    const late = save('changed after submitting');
    expect((await client.sync([...client.records.slice(-2)])).statusCode).toBe(200);

    expect(await storedSeqs()).toContain(late.seq);
    expect(await storedAnswer()).toBe(canonicalJson(essay('final answer')));
    expect(await flagKinds()).toEqual(['answer.after-submission']);
    // The invigilator's list counts it with the candidate's other flags.
    const rows = await candidateRows(
      suite.db.storage.db,
      suite.server.exam,
      suite.server.clock.now,
    );
    expect(rows.find((row) => row.candidateNumber === '1001')?.flags.high).toBe(1);
  });

  it('ignores an answer in the same batch after the seal', async () => {
    save('sealed');
    client.append('submission.sealed', {
      answersHash: answersHash({ q2: essay('sealed') }),
      headSeq: 1,
    });
    save('sneaked in after the seal');
    expect((await client.sync(client.records)).statusCode).toBe(200);
    expect(await storedAnswer()).toBe(canonicalJson(essay('sealed')));
    expect(await flagKinds()).toEqual(['answer.after-submission']);
  });

  it('does not apply an answer written online after the deadline', async () => {
    await client.sync([save('in time')]);
    suite.server.clock.now = suite.server.exam.closesAt + MINUTE;
    client.clock = suite.server.clock.now; // an honest clock
    const late = save('a minute late');
    expect((await client.sync(client.records.slice(-2))).statusCode).toBe(200);
    expect(await storedSeqs()).toContain(late.seq);
    expect(await storedAnswer()).toBe(canonicalJson(essay('in time')));
    expect(await flagKinds()).toEqual(['answer.after-deadline']);
  });

  it('stops applying answers at once when an admin moves the close earlier', async () => {
    await client.sync([save('in time')]);
    client.clock = suite.server.clock.now;
    // Closed a minute ago: the next upload knows, though the server read the exam just now.
    await updateExam(suite.db.storage.db, suite.server.exam.id, {
      closes_at: suite.server.clock.now - MINUTE,
    });
    const late = save('after the new close');
    expect((await client.sync(client.records.slice(-2))).statusCode).toBe(200);
    expect(await storedSeqs()).toContain(late.seq);
    expect(await storedAnswer()).toBe(canonicalJson(essay('in time')));
    expect(await flagKinds()).toEqual(['answer.after-deadline']);
  });

  it('applies an answer written offline before the deadline and uploaded within the grace', async () => {
    await client.sync([save('first')]);
    client.clock = suite.server.exam.closesAt - 10 * MINUTE;
    save('written offline in time');
    suite.server.clock.now = suite.server.exam.closesAt + 2 * HOUR; // the network came back later
    expect((await client.sync(client.records.slice(-2))).statusCode).toBe(200);
    expect(await storedAnswer()).toBe(canonicalJson(essay('written offline in time')));
    expect(await flagKinds()).toEqual([]);
  });

  it('does not believe a clock set back when a nonce proves the client was online later', async () => {
    suite.server.clock.now = suite.server.exam.closesAt + MINUTE;
    // Online after the deadline: the ack's nonce is journaled, then an answer claims the past.
    await client.sync([client.append('focus.regained', { durationMs: 1 })]);
    client.clock = suite.server.exam.closesAt - HOUR;
    save('backdated');
    expect((await client.sync(client.records.slice(-2))).statusCode).toBe(200);
    expect(await storedAnswer()).toBeNull();
    expect(await flagKinds()).toEqual(['answer.after-deadline']);
  });

  it('counts extra time and time an invigilator added', async () => {
    const candidate = await suite.db.storage.db
      .selectFrom('candidates')
      .select('id')
      .where('candidate_number', '=', '1001')
      .executeTakeFirstOrThrow();
    await suite.db.storage.db
      .updateTable('candidates')
      .set({ extra_minutes: 30 })
      .where('id', '=', candidate.id)
      .execute();
    await queueInstruction(suite.db.storage.db, candidate.id, { kind: 'add-time', minutes: 15 }, 0);
    suite.server.clock.now = suite.server.exam.closesAt + 44 * MINUTE;
    client.clock = suite.server.clock.now;
    expect((await client.sync([save('in extra time')])).statusCode).toBe(200);
    expect(await storedAnswer()).toBe(canonicalJson(essay('in extra time')));
    suite.server.clock.now = suite.server.exam.closesAt + 46 * MINUTE;
    client.clock = suite.server.clock.now;
    expect((await client.sync([...client.records.slice(-1), save('too late')])).statusCode).toBe(
      200,
    );
    expect(await storedAnswer()).toBe(canonicalJson(essay('in extra time')));
  });

  it('refuses a first sign-in after the deadline, but lets a known journal come back', async () => {
    suite.server.clock.now = suite.server.exam.closesAt + MINUTE;
    const newcomer = new ExamClient(suite.server.app, {
      examCode: 'TEST-1',
      candidateNumber: '1002',
      personalCode: 'secret-2',
    });
    const refused = await newcomer.signIn();
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ error: { code: 'exam-closed' } });
    expect((await client.signIn()).statusCode).toBe(200);
  });
});
