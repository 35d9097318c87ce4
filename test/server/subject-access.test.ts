import { describe, expect, it } from 'vitest';

import { STAFF_API_PREFIX } from '../../src/common/staff-api';
import { openLegalHold } from '../../src/server/repositories/legal-holds';
import { DIALECTS } from '../support/databases';
import { ExamClient } from '../support/exam-client';
import { serverSuite } from '../support/server';
import { staffCookie } from '../support/staff';

/** A candidate's subject access export: everything held about them, and nothing of others. */
describe.each(DIALECTS)('subject access export on %s', (dialect) => {
  const suite = serverSuite(dialect);

  async function sit(candidateNumber: string, personalCode: string, texts: string[]) {
    const client = new ExamClient(suite.server.app, {
      examCode: 'TEST-1',
      candidateNumber,
      personalCode,
    });
    await client.signIn();
    await client.fetchPackage();
    for (const text of texts)
      client.append('answer.saved', { questionId: 'q2', value: { type: 'short-text', text } });
    client.append('focus.lost', { app: 'Discord' });
    expect((await client.upload(client.records)).statusCode).toBe(200);
    return client;
  }

  const candidateIdOf = async (number: string) =>
    (
      await suite.db.storage.db
        .selectFrom('candidates')
        .select('id')
        .where('candidate_number', '=', number)
        .executeTakeFirstOrThrow()
    ).id;

  it('holds identity, every answer revision, the exam log, reviews, holds and the deletion date', async () => {
    const { app, exam } = suite.server;
    const kari = await sit('1001', 'secret-1', ['first draft', 'final answer']);
    await sit('1002', 'secret-2', ['olas answer']);
    const kariId = await candidateIdOf('1001');
    const { cookie, id: adminId } = await staffCookie(
      app,
      suite.db.storage,
      'dpo@vakt.test',
      'admin',
    );
    const review = await app.inject({
      method: 'POST',
      url: `${STAFF_API_PREFIX}/exams/${exam.id}/candidates/${kariId}/reviews`,
      headers: { cookie },
      payload: { journalId: kari.journalId, seq: 3, decision: 'note', comment: 'Alt-tab once' },
    });
    expect(review.statusCode).toBe(200);
    await openLegalHold(
      suite.db.storage.db,
      { examId: exam.id, candidateId: kariId, reason: 'Appeal 7', reviewAt: 4e12, openedBy: 'cli' },
      suite.server.clock.now,
    );

    const response = await app.inject({
      method: 'GET',
      url: `${STAFF_API_PREFIX}/exams/${exam.id}/candidates/${kariId}/subject-access`,
      headers: { cookie },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename=".+\.json"$/);
    const exported = response.json<{
      data: Record<string, Record<string, unknown>[]>;
      retention: { deletedAfter: string; legalHolds: { reason: string }[] };
    }>();
    expect(exported).toMatchObject({
      version: 1,
      exam: { code: 'TEST-1' },
      retention: { deletedAfter: '2028-08-01T00:00:00.000Z', legalHolds: [{ reason: 'Appeal 7' }] },
    });
    expect(exported.data.candidates).toEqual([
      {
        id: kariId,
        exam_id: exam.id,
        candidate_number: '1001',
        name: 'Kari',
        extra_minutes: 0,
        // Raised hands and the start: what the invigilators saw of the candidate on the day.
        hand_raised_at: null,
        hand_text: null,
        started_at: null,
        place: null,
      },
    ]);
    const text = response.body;
    expect(text).toContain('first draft'); // the revision, in the exam log
    expect(text).toContain('final answer');
    expect(exported.data.flag_reviews).toEqual([
      expect.objectContaining({ decision: 'note', comment: 'Alt-tab once', reviewer_id: adminId }),
    ]);
    expect(exported.data.records!.map((record) => record.kind)).toContain('focus.lost');
    // Credentials (even hashed) and other people's data stay out.
    for (const column of ['personal_code_hash', 'token_hash', 'password_hash'])
      expect(text).not.toContain(`"${column}"`);
    expect(text).not.toContain('olas answer');
    expect(text).not.toContain('Ola');

    const audited = await suite.db.storage.db
      .selectFrom('audit_log')
      .select(['action', 'target'])
      .where('action', '=', 'subject-access.export')
      .execute();
    expect(audited).toEqual([
      {
        action: 'subject-access.export',
        target: `/api/v1/staff/exams/${exam.id}/candidates/${kariId}/subject-access`,
      },
    ]);
  });

  it('answers 404 for a candidate of another exam', async () => {
    const { cookie } = await staffCookie(
      suite.server.app,
      suite.db.storage,
      'a@vakt.test',
      'admin',
    );
    const response = await suite.server.app.inject({
      method: 'GET',
      url: `${STAFF_API_PREFIX}/exams/${suite.server.exam.id}/candidates/nobody/subject-access`,
      headers: { cookie },
    });
    expect(response.statusCode).toBe(404);
  });
});
