import { beforeEach, describe, expect, it } from 'vitest';

import { canonicalJson } from '../../src/common/canonical-json';
import { STAFF_API_PREFIX } from '../../src/common/staff-api';
import { approveSecondDevice } from '../../src/server/repositories/journals';
import { DIALECTS } from '../support/databases';
import { ExamClient } from '../support/exam-client';
import { serverSuite } from '../support/server';
import { staffCookie } from '../support/staff';

/**
 * Server trust, item 1: a hand-in file must prove it comes from the candidate's own journal.
 * The hand-in public key is in every exam package, so anyone can seal a file in anyone's name.
 */
describe.each(DIALECTS)('hand-in files on %s', (dialect) => {
  const suite = serverSuite(dialect);
  let admin: string;

  beforeEach(async () => {
    const { server, db } = suite;
    admin = (await staffCookie(server.app, db.storage, 'admin@vakt.test', 'admin')).cookie;
  });

  const upload = (file: unknown) =>
    suite.server.app.inject({
      method: 'POST',
      url: `${STAFF_API_PREFIX}/exams/${suite.server.exam.id}/hand-in`,
      headers: { cookie: admin },
      payload: file as string,
    });

  const essay = (text: string) => ({ type: 'short-text' as const, text });

  const answersOf = async (candidateNumber: string) =>
    suite.db.storage.db
      .selectFrom('answers')
      .innerJoin('candidates', 'candidates.id', 'answers.candidate_id')
      .select(['answers.question_id', 'answers.value'])
      .where('candidates.candidate_number', '=', candidateNumber)
      .execute();

  const journalsOf = async (candidateNumber: string) =>
    suite.db.storage.db
      .selectFrom('journals')
      .innerJoin('candidates', 'candidates.id', 'journals.candidate_id')
      .select(['journals.id', 'journals.state'])
      .where('candidates.candidate_number', '=', candidateNumber)
      .execute();

  it("holds a file forged in another candidate's name; the real candidate signs in as usual", async () => {
    // Ola (1002) seals a journal of his own making under Kari's (1001) candidate number.
    const forger = new ExamClient(suite.server.app, {
      examCode: 'TEST-1',
      candidateNumber: '1001',
      personalCode: 'not-needed',
    });
    forger.append('answer.saved', { questionId: 'q2', value: essay('written by Ola') });
    const response = await upload(
      forger.handInFile(suite.server.exam.id, suite.server.keys.handIn.publicKey),
    );

    expect(response.statusCode).toBe(202);
    expect(response.json()).toMatchObject({
      stored: 0,
      held: { reason: expect.stringContaining('never seen this journal') as unknown },
    });
    expect(await journalsOf('1001')).toEqual([]);
    expect(await answersOf('1001')).toEqual([]);

    // Kari's own sign-in is not taken for a second device.
    const kari = new ExamClient(suite.server.app);
    expect((await kari.signIn()).json()).toMatchObject({ journalState: 'active' });

    const held = await suite.server.app.inject({
      method: 'GET',
      url: `${STAFF_API_PREFIX}/exams/${suite.server.exam.id}/hand-ins`,
      headers: { cookie: admin },
    });
    expect(held.json()).toMatchObject({
      held: [{ candidateNumber: '1001', journalId: forger.journalId, records: 1 }],
    });
    const flags = await suite.db.storage.db.selectFrom('server_flags').select('kind').execute();
    expect(flags).toEqual([{ kind: 'hand-in.quarantined' }]);
  });

  it("holds a file that names the candidate's real journal but is signed by another key", async () => {
    const kari = new ExamClient(suite.server.app);
    await kari.signIn();
    await kari.fetchPackage();
    await kari.sync([kari.append('answer.saved', { questionId: 'q2', value: essay('Kari') })]);

    // Ola learnt Kari's journal id and builds records that continue it, signed with his key.
    const forger = new ExamClient(suite.server.app, kari.credentials);
    Object.assign(forger, { journalId: kari.journalId });
    forger.records.push(...kari.records);
    forger.append('answer.saved', { questionId: 'q2', value: essay('overwritten by Ola') });
    const response = await upload(
      forger.handInFile(suite.server.exam.id, suite.server.keys.handIn.publicKey),
    );

    expect(response.statusCode).toBe(202);
    expect(response.json()).toMatchObject({
      held: { reason: "the signature is not the journal's" },
    });
    expect(await answersOf('1001')).toEqual([
      { question_id: 'q2', value: canonicalJson(essay('Kari')) },
    ]);
  });

  it('holds an unsigned file, and stores a signed one from the same journal', async () => {
    const kari = new ExamClient(suite.server.app);
    await kari.signIn();
    kari.append('answer.saved', { questionId: 'q2', value: essay('offline all along') });

    const unsigned = await upload(
      kari.handInFile(suite.server.exam.id, suite.server.keys.handIn.publicKey, false),
    );
    expect(unsigned.json()).toMatchObject({ held: { reason: 'the file is not signed' } });
    expect(await answersOf('1001')).toEqual([]);

    const signed = await upload(
      kari.handInFile(suite.server.exam.id, suite.server.keys.handIn.publicKey),
    );
    expect(signed.statusCode).toBe(200);
    expect(signed.json()).toMatchObject({ stored: 1, held: null });
    expect(await answersOf('1001')).toHaveLength(1);
  });

  it('keeps what the replaced laptop wrote offline, by upload or hand-in, without applying it', async () => {
    const first = new ExamClient(suite.server.app);
    await first.signIn();
    await first.fetchPackage();
    await first.sync([first.append('answer.saved', { questionId: 'q2', value: essay('first') })]);
    const spare = new ExamClient(suite.server.app);
    await spare.signIn();
    await approveSecondDevice(suite.db.storage.db, spare.journalId);
    await spare.fetchPackage();
    await spare.sync([spare.append('answer.saved', { questionId: 'q2', value: essay('spare') })]);

    // The first laptop was offline when the candidate switched; it comes back online.
    const late = first.append('answer.saved', {
      questionId: 'q2',
      value: essay('offline on the first'),
    });
    const delivered = await first.upload(first.records.slice(-2));
    expect(delivered.statusCode).toBe(200);
    const stored = await suite.db.storage.db
      .selectFrom('records')
      .select('seq')
      .where('journal_id', '=', first.journalId)
      .execute();
    expect(stored.map((row) => row.seq)).toContain(late.seq);
    expect(await answersOf('1001')).toEqual([
      { question_id: 'q2', value: canonicalJson(essay('spare')) },
    ]);
    const flags = await suite.db.storage.db.selectFrom('server_flags').select('kind').execute();
    expect(flags).toEqual([{ kind: 'answer.from-replaced-device' }]);

    // Its hand-in file is taken too (nothing new in it now), not held.
    first.append('focus.regained', { durationMs: 5 });
    const handIn = await upload(
      first.handInFile(suite.server.exam.id, suite.server.keys.handIn.publicKey),
    );
    expect(handIn.statusCode).toBe(200);
    expect(handIn.json()).toMatchObject({ stored: 1, held: null });
  });

  it('refuses a sign-in that would re-register a journal under another key', async () => {
    const kari = new ExamClient(suite.server.app);
    await kari.signIn();
    const thief = new ExamClient(suite.server.app);
    Object.assign(thief, { journalId: kari.journalId });
    const response = await thief.signIn();
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ error: { code: 'wrong-journal' } });
  });

  it('refuses a file larger than the hand-in limit without reading it whole', async () => {
    const response = await suite.server.app.inject({
      method: 'POST',
      url: `${STAFF_API_PREFIX}/exams/${suite.server.exam.id}/hand-in`,
      headers: { cookie: admin, 'content-type': 'application/json' },
      payload: Buffer.alloc(65 * 1024 * 1024, 0x20),
    });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ error: { code: 'too-large' } });
  });
});
