import { describe, expect, it } from 'vitest';

import { CLIENT_ROUTES } from '../../src/common/api';
import { ExamClient } from '../support/exam-client';
import { serverSuite } from '../support/server';

/** Helmet's defaults, on every kind of answer the API gives. */
const EXPECTED = {
  'content-security-policy': expect.stringContaining("default-src 'self'") as unknown,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'SAMEORIGIN',
  'strict-transport-security': expect.stringContaining('max-age=') as unknown,
  'cross-origin-opener-policy': 'same-origin',
  'referrer-policy': 'no-referrer',
};

describe('security headers', () => {
  const suite = serverSuite('sqlite');

  it('go with answers, refusals and unknown paths alike', async () => {
    const client = new ExamClient(suite.server.app);
    await client.signIn();
    await client.fetchPackage();
    const answers = {
      ack: await client.heartbeat(),
      refused: await suite.server.app.inject({
        method: 'POST',
        url: CLIENT_ROUTES.heartbeat,
        headers: { authorization: 'Bearer made-up' },
        payload: { journalId: client.journalId, headSeq: 0, status: 'in-progress' },
      }),
      missing: await suite.server.app.inject({ method: 'GET', url: '/api/nothing-here' }),
    };
    expect(answers.ack.statusCode).toBe(200);
    expect(answers.refused.statusCode).toBe(401);
    expect(answers.missing.statusCode).toBe(404);
    for (const [what, response] of Object.entries(answers)) {
      expect(response.headers, what).toMatchObject(EXPECTED);
      expect(response.headers, what).not.toHaveProperty('x-powered-by');
    }
  });
});
