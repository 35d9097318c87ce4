import { describe, expect, it } from 'vitest';

import { isAnswered, type AnswerValue } from '../../src/common/answers';
import type { CandidateRow } from '../../src/common/staff-api';
import { STAFF_API_PREFIX } from '../../src/common/staff-api';
import { DIALECTS } from '../support/databases';
import { ExamClient } from '../support/exam-client';
import { serverSuite } from '../support/server';
import { staffCookie } from '../support/staff';

/**
 * "Answered" is one rule (src/common/answers.ts isAnswered): what the candidate's screen calls
 * unanswered, the invigilator's row does not count — a whitespace-only essay included. The
 * count is kept as answers arrive, not counted on each read.
 */
describe.each(DIALECTS)('answered, as the dashboard counts it, on %s', (dialect) => {
  const suite = serverSuite(dialect);

  it('counts what the candidate sees as answered, and follows changes both ways', async () => {
    const { server, db } = suite;
    const client = new ExamClient(server.app);
    await client.signIn();
    await client.fetchPackage();
    const { cookie } = await staffCookie(server.app, db.storage, 'a@vakt.test', 'admin');
    const answered = async () => {
      const response = await server.app.inject({
        method: 'GET',
        url: `${STAFF_API_PREFIX}/exams/${server.exam.id}/candidates`,
        headers: { cookie },
      });
      return response.json<{ candidates: CandidateRow[] }>().candidates[0]!.answered;
    };
    let sent = 0;
    const save = async (questionId: string, value: AnswerValue) => {
      client.append('answer.saved', { questionId, value });
      // With the nonce the last acknowledgement brought, as a client sends them.
      const batch = client.records.slice(sent);
      sent += batch.length;
      expect((await client.sync(batch)).statusCode).toBe(200);
    };

    const blank: AnswerValue = { type: 'short-text', text: ' \n\t ' };
    const choice: AnswerValue = { type: 'single-choice', optionId: 'a' };
    expect([isAnswered(blank), isAnswered(choice)]).toEqual([false, true]);

    await save('q2', blank);
    expect(await answered()).toBe(0);
    await save('q1', choice);
    expect(await answered()).toBe(1);
    await save('q2', { type: 'short-text', text: 'Oslo' });
    await save('q2', { type: 'short-text', text: 'Oslo, 1814' });
    expect(await answered()).toBe(2);
    await save('q1', { type: 'single-choice', optionId: null });
    await save('q2', blank);
    expect(await answered()).toBe(0);
  });
});
