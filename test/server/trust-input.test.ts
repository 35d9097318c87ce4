import { mkdir, mkdtemp, rm, stat, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { CLIENT_ROUTES } from '../../src/common/api';
import { STAFF_API_PREFIX } from '../../src/common/staff-api';
import { openStorage } from '../../src/server/db/database';
import { loadServerKeys } from '../../src/server/keys';
import { DIALECTS } from '../support/databases';
import { ExamClient } from '../support/exam-client';
import { serverSuite } from '../support/server';
import { staffCookie } from '../support/staff';

const LONE = '\ud83d'; // the first half of an emoji, alone

/** Server trust, items 6, 7 and 8: broken text, the health check, and data file modes. */
describe.each(DIALECTS)('input the server refuses on %s', (dialect) => {
  const suite = serverSuite(dialect);

  it('answers 400, never 500, to a lone surrogate in a record, a sign-in or a staff call', async () => {
    const client = new ExamClient(suite.server.app);
    await client.signIn();
    await client.fetchPackage();
    // A modified client sends what ours would refuse to write (no hash can be computed).
    const record = {
      seq: 1,
      kind: 'focus.lost',
      at: client.clock,
      mono: 1,
      payload: { app: `Discord ${LONE}` },
      prev: '0'.repeat(64),
      hash: 'a'.repeat(64),
    };
    const upload = await suite.server.app.inject({
      method: 'POST',
      url: CLIENT_ROUTES.records,
      headers: client.headers(CLIENT_ROUTES.records),
      payload: { journalId: client.journalId, records: [record] },
    });
    expect(upload.statusCode).toBe(400);
    expect(upload.json<{ error: { message: string } }>().error.message).toMatch(
      /lone UTF-16 surrogate/,
    );
    // Nothing was stored, and the journal goes on with a good record.
    const good = client.append('focus.lost', { app: 'Discord' });
    expect(good.seq).toBe(1);
    expect((await client.upload([good])).statusCode).toBe(200);

    const signIn = await suite.server.app.inject({
      method: 'POST',
      url: CLIENT_ROUTES.signIn,
      payload: { ...client.credentials, personalCode: `x${LONE}` },
    });
    expect(signIn.statusCode).toBe(400);

    const { cookie } = await staffCookie(
      suite.server.app,
      suite.db.storage,
      'a@vakt.test',
      'admin',
    );
    const staff = await suite.server.app.inject({
      method: 'POST',
      url: `${STAFF_API_PREFIX}/users`,
      headers: { cookie },
      payload: {
        email: 'n@vakt.test',
        name: `Name ${LONE}`,
        role: 'invigilator',
        password: 'a long enough password',
      },
    });
    expect(staff.statusCode).toBe(400);
    expect(staff.json()).toMatchObject({ error: { code: 'invalid-text' } });
  });

  it('says only whether it is up: no exam codes to anyone who asks', async () => {
    const health = await suite.server.app.inject({ method: 'GET', url: '/api/health' });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toEqual({ status: 'ok' });
    expect(health.body).not.toContain('TEST-1');
  });
});

describe('data files on disk', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vakt-modes-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const mode = async (path: string) => (await stat(path)).mode & 0o777;

  it('makes the data folder 0700 and the database and keys 0600, whatever was there', async () => {
    const data = join(dir, 'data');
    await mkdir(data, { mode: 0o755 });
    await chmod(data, 0o755);
    await writeFile(join(data, 'vakt.sqlite'), '');
    await chmod(join(data, 'vakt.sqlite'), 0o644);
    const storage = openStorage({ databaseUrl: null, dataDir: data });
    try {
      await storage.db
        .selectFrom('exams' as never)
        .selectAll()
        .execute()
        .catch(() => undefined);
      expect(await mode(data)).toBe(0o700);
      expect(await mode(join(data, 'vakt.sqlite'))).toBe(0o600);
      expect(await mode(join(data, 'vakt.sqlite-wal'))).toBe(0o600);
    } finally {
      await storage.close();
    }

    const fresh = join(dir, 'fresh');
    const again = openStorage({ databaseUrl: null, dataDir: fresh });
    await again.close();
    expect(await mode(fresh)).toBe(0o700);
    expect(await mode(join(fresh, 'vakt.sqlite'))).toBe(0o600);

    await chmod(data, 0o755);
    loadServerKeys(data);
    await chmod(join(data, 'signing-ed25519.json'), 0o644);
    loadServerKeys(data);
    expect(await mode(data)).toBe(0o700);
    expect(await mode(join(data, 'signing-ed25519.json'))).toBe(0o600);
    expect(await mode(join(data, 'hand-in-x25519.json'))).toBe(0o600);
  });
});

describe.each(DIALECTS)('per-journal quotas on %s', (dialect) => {
  const suite = serverSuite(dialect, { quotas: { journalBytes: 2_000, quarantineBytes: 1_000 } });

  const essay = (length: number) => ({
    questionId: 'q2',
    value: { type: 'short-text' as const, text: 'x'.repeat(length) },
  });

  it('refuses records past the journal quota with a refusal the client acts on', async () => {
    const client = new ExamClient(suite.server.app);
    await client.signIn();
    await client.fetchPackage();
    expect((await client.sync([client.append('answer.saved', essay(900))])).statusCode).toBe(200);
    const over = await client.upload([
      ...client.records.slice(-1),
      client.append('answer.saved', essay(900)),
      client.append('answer.saved', essay(900)),
    ]);
    expect(over.statusCode).toBe(413);
    expect(over.json()).toMatchObject({ code: 'quota', limitBytes: 2_000 });
    const journal = await suite.db.storage.db
      .selectFrom('journals')
      .select(['stored_bytes', 'watermark'])
      .executeTakeFirstOrThrow();
    expect(journal.watermark).toBe(1);
    expect(journal.stored_bytes).toBeLessThanOrEqual(2_000);
    const flags = await suite.db.storage.db.selectFrom('server_flags').select('kind').execute();
    expect(flags).toEqual([{ kind: 'records.over-quota' }]);
  });

  it('keeps refused records in quarantine only up to its quota', async () => {
    const client = new ExamClient(suite.server.app);
    await client.signIn();
    await client.fetchPackage();
    const broken = { ...client.append('answer.saved', essay(600)), hash: 'f'.repeat(64) };
    expect((await client.upload([broken])).json()).toMatchObject({ code: 'chain' });
    expect((await client.upload([broken])).json()).toMatchObject({ code: 'chain' });
    const kept = await suite.db.storage.db.selectFrom('quarantine').select('seq').execute();
    expect(kept).toHaveLength(1);
    const flags = await suite.db.storage.db.selectFrom('server_flags').select('detail').execute();
    expect(flags).toHaveLength(2);
    expect(flags.map((flag) => flag.detail)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('kept aside'),
        expect.stringContaining('not kept: quarantine quota reached'),
      ]),
    );
  });
});
