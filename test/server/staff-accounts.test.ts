import { describe, expect, it } from 'vitest';

import { STAFF_API_PREFIX, type StaffAccount } from '../../src/common/staff-api';
import { STAFF_SIGN_IN } from '../../src/server/routes/staff';
import { DIALECTS } from '../support/databases';
import { openLiveStream } from '../support/live-stream';
import { serverSuite } from '../support/server';
import { STAFF_PASSWORD, staffCookie } from '../support/staff';

/**
 * Fixing staff accounts on the day: a leaked password is cut off at once (sessions, open live
 * streams, sign-in), roles change, passwords are reset, and the last admin is never locked out.
 */
describe.each(DIALECTS)('staff accounts on %s', (dialect) => {
  const suite = serverSuite(dialect);

  async function accounts() {
    const { server, db } = suite;
    const admin = await staffCookie(server.app, db.storage, 'admin@vakt.test', 'admin');
    const ivar = await staffCookie(server.app, db.storage, 'ivar@vakt.test', 'invigilator', [
      server.exam.id,
    ]);
    const call = (
      cookie: string,
      method: 'GET' | 'POST' | 'PATCH',
      path: string,
      payload?: Record<string, unknown>,
    ) =>
      server.app.inject({
        method,
        url: `${STAFF_API_PREFIX}${path}`,
        headers: { cookie },
        ...(payload ? { payload } : {}),
      });
    const signIn = (email: string, password = STAFF_PASSWORD) =>
      server.app.inject({ method: 'POST', url: STAFF_SIGN_IN, payload: { email, password } });
    return { admin, ivar, call, signIn };
  }

  it('cuts a disabled account off at once: its calls, its open live stream, its sign-in', async () => {
    const { server } = suite;
    const { admin, ivar, call, signIn } = await accounts();
    const base = await server.app.listen({ host: '127.0.0.1', port: 0 });
    const stream = await openLiveStream(base, server.exam.id, ivar.cookie);

    const disabled = await call(admin.cookie, 'PATCH', `/users/${ivar.id}`, { disabled: true });
    expect(disabled.json<{ user: StaffAccount }>().user).toMatchObject({ disabled: true });
    // Nothing happens on the exam meanwhile: the stream ends on its own recheck (every second).
    await expect.poll(() => stream.closed()).toBe(true);
    expect(stream.text()).toContain('event: end');
    expect((await call(ivar.cookie, 'GET', '/exams')).statusCode).toBe(401);
    const refused = await signIn('ivar@vakt.test');
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ error: { code: 'account-disabled' } });
    // A wrong password says nothing about the account.
    expect((await signIn('ivar@vakt.test', 'not the password')).statusCode).toBe(401);

    await call(admin.cookie, 'PATCH', `/users/${ivar.id}`, { disabled: false });
    expect((await signIn('ivar@vakt.test')).statusCode).toBe(200);
  });

  it('never disables or demotes the last admin who can sign in', async () => {
    const { server, db } = suite;
    const { admin, call } = await accounts();
    for (const change of [{ disabled: true }, { role: 'invigilator' }]) {
      const refused = await call(admin.cookie, 'PATCH', `/users/${admin.id}`, change);
      expect(refused.statusCode).toBe(409);
      expect(refused.json()).toMatchObject({ error: { code: 'last-admin' } });
    }
    await staffCookie(server.app, db.storage, 'second@vakt.test', 'admin');
    const demoted = await call(admin.cookie, 'PATCH', `/users/${admin.id}`, {
      role: 'invigilator',
    });
    expect(demoted.json<{ user: StaffAccount }>().user.role).toBe('invigilator');
    // The change is live: the next call is an invigilator's.
    expect((await call(admin.cookie, 'GET', '/users')).statusCode).toBe(403);
  });

  it('resets a password and signs an account out everywhere, audited', async () => {
    const { db } = suite;
    const { admin, ivar, call, signIn } = await accounts();
    const reset = await call(admin.cookie, 'POST', `/users/${ivar.id}/password`, {
      password: 'a brand new passphrase',
    });
    expect(reset.json()).toEqual({ sessionsEnded: 1 });
    expect((await call(ivar.cookie, 'GET', '/exams')).statusCode).toBe(401);
    expect((await signIn('ivar@vakt.test')).statusCode).toBe(401);
    expect((await signIn('ivar@vakt.test', 'a brand new passphrase')).statusCode).toBe(200);

    expect((await call(admin.cookie, 'POST', `/users/${ivar.id}/sign-out`)).json()).toEqual({
      sessionsEnded: 1,
    });
    const short = await call(admin.cookie, 'POST', `/users/${ivar.id}/password`, {
      password: 'short',
    });
    expect(short.statusCode).toBe(400);
    expect(
      (await call(admin.cookie, 'PATCH', '/users/nobody', { disabled: true })).statusCode,
    ).toBe(404);

    const actions = await db.storage.db
      .selectFrom('audit_log')
      .select(['action', 'outcome'])
      .where('action', 'like', 'users.%')
      .execute();
    expect(actions).toEqual(
      expect.arrayContaining([
        { action: 'users.reset-password', outcome: 'ok' },
        { action: 'users.sign-out', outcome: 'ok' },
      ]),
    );
  });
});
