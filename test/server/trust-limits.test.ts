import { randomBytes } from 'node:crypto';

import { afterEach, describe, expect, it } from 'vitest';

import { CLIENT_ROUTES } from '../../src/common/api';
import { STAFF_API_PREFIX } from '../../src/common/staff-api';
import type { AppOptions } from '../../src/server/app';
import { createStaffUser } from '../../src/server/repositories/staff';
import { STAFF_SIGN_IN } from '../../src/server/routes/staff';
import { hashSecret } from '../../src/server/secrets';
import { DIALECTS, freshStorage, type TestStorage } from '../support/databases';
import { ExamClient } from '../support/exam-client';
import { httpFrom } from '../support/net';
import { testServer, type TestServer } from '../support/server';
import { STAFF_PASSWORD } from '../support/staff';

/** Server trust, items 3 and 4: rate limits, proxies, and password guessing. */
describe.each(DIALECTS)('limits on %s', (dialect) => {
  let db: TestStorage;
  let server: TestServer;
  let base: string;

  async function start(options: Pick<AppOptions, 'trustProxy' | 'rateLimitMax'> = {}) {
    db = await freshStorage(dialect);
    server = await testServer(db.storage, undefined, true, undefined, options);
    base = await server.app.listen({ host: '127.0.0.1', port: 0 });
    await createStaffUser(
      db.storage.db,
      { email: 'admin@vakt.test', name: 'Admin', role: 'admin', password: STAFF_PASSWORD },
      0,
    );
  }

  afterEach(async () => {
    const errors = server.serverErrors;
    await server.app.close();
    await db.cleanup();
    expect(errors).toEqual([]);
  });

  const staffSignIn = (from: string, password: string, headers: Record<string, string> = {}) =>
    httpFrom(from, `${base}${STAFF_SIGN_IN}`, {
      method: 'POST',
      headers,
      body: { email: 'admin@vakt.test', password },
    });

  const auditAddresses = async () =>
    (
      await db.storage.db
        .selectFrom('audit_log')
        .select('address')
        .where('action', '=', 'staff.sign-in')
        .execute()
    ).map((row) => row.address);

  it('gives a made-up token no bucket of its own; a verified token keeps working', async () => {
    await start({ rateLimitMax: 20 });
    const client = new ExamClient(server.app);
    await client.signIn();
    await client.fetchPackage();
    // The client's token is verified once, then keyed on its own.
    const heartbeat = () =>
      httpFrom('127.0.0.1', `${base}${CLIENT_ROUTES.heartbeat}`, {
        method: 'POST',
        headers: client.headers(CLIENT_ROUTES.heartbeat),
        body: { journalId: client.journalId, headSeq: 0, status: 'preflight' },
      });
    expect((await heartbeat()).status).toBe(200);

    const statuses: number[] = [];
    for (let i = 0; i < 40; i += 1) {
      const answer = await httpFrom('127.0.0.1', `${base}${CLIENT_ROUTES.heartbeat}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${randomBytes(32).toString('base64url')}` },
        body: { journalId: client.journalId, headSeq: 0, status: 'preflight' },
      });
      statuses.push(answer.status);
    }
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThanOrEqual(20);
    // The exam hall behind the same address is not punished, nor is another address.
    expect((await heartbeat()).status).toBe(200);
    const elsewhere = await httpFrom('127.0.0.2', `${base}/api/health`);
    expect(elsewhere.status).toBe(200);
  });

  it('keys a known token on its own after a restart, however busy its address is', async () => {
    await start({ rateLimitMax: 20 });
    const client = new ExamClient(server.app);
    await client.signIn();
    await client.fetchPackage();
    // A restart forgets which tokens were verified; the sessions are in the database.
    await server.app.close();
    server = await testServer(db.storage, undefined, false, undefined, { rateLimitMax: 20 });
    base = await server.app.listen({ host: '127.0.0.1', port: 0 });
    // The hall's address has used up its bucket (made-up tokens are keyed on it)…
    for (let i = 0; i < 25; i += 1) {
      await httpFrom('127.0.0.1', `${base}${CLIENT_ROUTES.heartbeat}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${randomBytes(32).toString('base64url')}` },
        body: { journalId: client.journalId, headSeq: 0, status: 'preflight' },
      });
    }
    // …yet a candidate whose first request since the restart comes from it is answered.
    const answer = await httpFrom('127.0.0.1', `${base}${CLIENT_ROUTES.heartbeat}`, {
      method: 'POST',
      headers: client.headers(CLIENT_ROUTES.heartbeat),
      body: { journalId: client.journalId, headSeq: 0, status: 'preflight' },
    });
    expect(answer.status).toBe(200);
    const limited = await httpFrom('127.0.0.1', `${base}/api/health`);
    expect(limited.status).toBe(429);
    expect(JSON.parse(limited.body)).toMatchObject({ error: { code: 'rate-limited' } });
  });

  it("keys a signed-in staff member on their session, not the hall's address", async () => {
    await start({ rateLimitMax: 20 });
    const signedIn = await staffSignIn('127.0.0.3', STAFF_PASSWORD);
    const cookie = String(signedIn.headers['set-cookie']).split(';')[0]!;
    const me = (headers: Record<string, string>) =>
      httpFrom('127.0.0.3', `${base}${STAFF_API_PREFIX}/me`, { headers });
    // The exam hall's unverified requests use up the address's bucket…
    for (let i = 0; i < 30; i += 1) {
      await httpFrom('127.0.0.3', `${base}${CLIENT_ROUTES.heartbeat}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${randomBytes(32).toString('base64url')}` },
        body: { journalId: randomBytes(16).toString('hex'), headSeq: 0, status: 'preflight' },
      });
    }
    expect((await me({})).status).toBe(429);
    // …the invigilator on the same network is not refused; a made-up session is.
    expect((await me({ cookie })).status).toBe(200);
    expect(
      (await me({ cookie: `vakt_staff=${randomBytes(32).toString('base64url')}` })).status,
    ).toBe(429);
  });

  it('believes X-Forwarded-For only from a configured proxy', async () => {
    await start({ trustProxy: ['127.0.0.1'] });
    const forwarded = { 'x-forwarded-for': '203.0.113.9' };
    await staffSignIn('127.0.0.1', 'wrong password', forwarded);
    await staffSignIn('127.0.0.2', 'wrong password', forwarded);
    expect(await auditAddresses()).toEqual(['203.0.113.9', '127.0.0.2']);
  });

  it('believes no X-Forwarded-For by default', async () => {
    await start();
    await staffSignIn('127.0.0.3', 'wrong password', { 'x-forwarded-for': '203.0.113.9' });
    expect(await auditAddresses()).toEqual(['127.0.0.3']);
  });

  it('checks at most five of thirty parallel guesses, and says when to try again', async () => {
    await start();
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) => staffSignIn('127.0.0.4', `guess ${i}`)),
    );
    const counts = { 401: 0, 429: 0 } as Record<number, number>;
    for (const answer of answers) counts[answer.status] = (counts[answer.status] ?? 0) + 1;
    expect(counts).toEqual({ 401: 5, 429: 25 });
    const throttled = answers.find((answer) => answer.status === 429)!;
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(JSON.parse(throttled.body)).toMatchObject({ error: { code: 'too-many-attempts' } });
    const verified = await db.storage.db
      .selectFrom('audit_log')
      .select('outcome')
      .where('outcome', '=', 'failed')
      .execute();
    expect(verified).toHaveLength(5);
  });

  it('never locks the owner out: wrong tries elsewhere cost them a minute at most', async () => {
    await start();
    // A stranger's guesses from one address do not touch the owner at another.
    for (let i = 0; i < 8; i += 1) await staffSignIn('127.0.0.5', `guess ${i}`);
    expect((await staffSignIn('127.0.0.6', STAFF_PASSWORD)).status).toBe(200);

    // Guesses from many addresses slow the account, for a minute at most.
    for (let i = 0; i < 20; i += 1) await staffSignIn(`127.0.1.${i + 1}`, `guess ${i}`);
    const slowed = await staffSignIn('127.0.0.6', STAFF_PASSWORD);
    expect(slowed.status).toBe(429);
    expect(Number(slowed.headers['retry-after'])).toBeLessThanOrEqual(60);
    server.clock.now += 60_000;
    expect((await staffSignIn('127.0.0.6', STAFF_PASSWORD)).status).toBe(200);
  });

  it("limits guesses at one candidate's personal code from rotating addresses", async () => {
    await start();
    const signIn = (from: string, personalCode: string) => {
      const client = new ExamClient(server.app);
      return httpFrom(from, `${base}${CLIENT_ROUTES.signIn}`, {
        method: 'POST',
        body: {
          examCode: 'TEST-1',
          candidateNumber: '1001',
          personalCode,
          journalId: client.journalId,
          deviceIdHash: 'd'.repeat(64),
          journalPublicKey: client.signingKey.publicKey,
          clientVersion: '1.0.0',
        },
      });
    };
    const statuses: number[] = [];
    for (let i = 0; i < 14; i += 1)
      statuses.push((await signIn(`127.0.2.${i + 1}`, `x${i}`)).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.slice(10)).toContain(429);
    // The candidate waits at most a short while, then signs in.
    server.clock.now += 5 * 60_000;
    expect((await signIn('127.0.0.7', 'secret-1')).status).toBe(200);
  });

  it('hashes staff passwords with OWASP scrypt parameters, upgrading older hashes on sign-in', async () => {
    await start();
    const weak = await hashSecret(STAFF_PASSWORD, 'candidate');
    await db.storage.db
      .updateTable('staff_users')
      .set({ password_hash: weak })
      .where('email', '=', 'admin@vakt.test')
      .execute();
    expect((await staffSignIn('127.0.0.8', STAFF_PASSWORD)).status).toBe(200);
    const { password_hash } = await db.storage.db
      .selectFrom('staff_users')
      .select('password_hash')
      .where('email', '=', 'admin@vakt.test')
      .executeTakeFirstOrThrow();
    expect(password_hash).toMatch(/^scrypt\$32768\$8\$3\$/);
    expect((await staffSignIn('127.0.0.8', STAFF_PASSWORD)).status).toBe(200);
  });

  it('refuses staff calls from another origin that change anything', async () => {
    await start();
    const signedIn = await staffSignIn('127.0.0.9', STAFF_PASSWORD);
    const cookie = String(signedIn.headers['set-cookie']).split(';')[0]!;
    const create = (origin: Record<string, string>) =>
      httpFrom('127.0.0.9', `${base}${STAFF_API_PREFIX}/users`, {
        method: 'POST',
        headers: { cookie, ...origin },
        body: {
          email: `x${randomBytes(4).toString('hex')}@vakt.test`,
          name: 'X',
          role: 'invigilator',
          password: 'a long enough password',
        },
      });
    const foreign = await create({ origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect(JSON.parse(foreign.body)).toMatchObject({ error: { code: 'cross-origin' } });
    expect((await create({ 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await create({ origin: server.publicUrl })).status).toBe(200);
    // A reading call from anywhere still works (SameSite keeps the cookie from other sites).
    const read = await httpFrom('127.0.0.9', `${base}${STAFF_API_PREFIX}/me`, {
      headers: { cookie, origin: 'https://evil.example' },
    });
    expect(read.status).toBe(200);
  });
});
