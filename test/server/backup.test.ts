import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import SQLite from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';

import { CLIENT_ROUTES } from '../../src/common/api';
import { openStorage } from '../../src/server/db/database';
import { loadServerKeys } from '../../src/server/keys';
import { freshStorage, type TestStorage } from '../support/databases';
import { ExamClient } from '../support/exam-client';
import { testServer } from '../support/server';

const root = new URL('../..', import.meta.url).pathname;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: string[], dataDir: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(root, 'bin/vakt-server.mjs'), ...args],
      { cwd: root, env: { ...process.env, VAKT_DATA_DIR: dataDir, DATABASE_URL: '' } },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/**
 * Backup and restore of a SQLite server, as IT runs them: `vakt-server backup` while the
 * server takes answers, then `vakt-server restore` into a fresh folder; the restored server
 * verifies its audit chain and serves the answers it had acknowledged.
 */
describe('backup and restore (SQLite)', { timeout: 180_000 }, () => {
  let db: TestStorage;
  const folders: string[] = [];
  const folder = async (prefix: string) => {
    const made = await mkdtemp(join(tmpdir(), prefix));
    folders.push(made);
    return made;
  };
  afterAll(async () => {
    await db?.cleanup();
    for (const made of folders) await rm(made, { recursive: true, force: true });
  });

  it('backs up while answers arrive, and the restored server serves what it had', async () => {
    db = await freshStorage('sqlite');
    loadServerKeys(db.dataDir); // the key files a real server keeps beside its database
    // A database of some size: SQLite restarts a backup made in small steps whenever the server
    // writes between them, so one bigger than a step never finished under load.
    const filler = new SQLite(join(db.dataDir, 'vakt.sqlite'));
    filler.exec('create table filler (data blob)');
    const insert = filler.prepare('insert into filler values (?)');
    filler.transaction(() => {
      for (let i = 0; i < 4_000; i += 1) insert.run(randomBytes(4_000));
    })();
    filler.close();
    const server = await testServer(db.storage);
    const client = new ExamClient(server.app);
    expect((await client.signIn()).statusCode).toBe(200);
    await client.fetchPackage();

    // Answers keep arriving, acknowledged one by one, before and while the backup runs.
    const acknowledged: string[] = [];
    let writing = true;
    let sent = 0;
    const writes = (async () => {
      for (let n = 0; writing || n < 20; n += 1) {
        const text = `answer ${n}`;
        client.append('answer.saved', { questionId: 'q2', value: { type: 'short-text', text } });
        // Everything not yet sent: the answer, and the nonce the last acknowledgement gave.
        const batch = client.records.slice(sent);
        const reply = await client.sync(batch);
        if (reply.statusCode !== 200) throw new Error(`upload refused: ${reply.body}`);
        sent += batch.length;
        acknowledged.push(text);
      }
    })();
    await expect.poll(() => acknowledged.length).toBeGreaterThanOrEqual(20);
    const before = acknowledged.length;
    const backupDir = join(await folder('vakt-backup-'), 'monday');
    const backup = await cli(['backup', backupDir], db.dataDir);
    writing = false;
    await writes;
    expect(backup, backup.stderr).toMatchObject({ code: 0 });
    expect(backup.stdout).toMatch(/^Backed up .*: database 1\d\.\d MiB and the server keys/);

    // A second backup into the same folder is refused, in one line.
    expect(await cli(['backup', backupDir], db.dataDir)).toMatchObject({
      code: 1,
      stderr: `${backupDir} is not empty: back up into a new or empty folder.\n`,
    });

    const restoredDir = await folder('vakt-restored-');
    const restored = await cli(['restore', backupDir], restoredDir);
    expect(restored, restored.stderr).toMatchObject({ code: 0 });
    expect(restored.stdout).toMatch(/the audit log verifies \(\d+ entries, head [0-9a-f]{64}\)/);
    // Not over a folder that holds a server already.
    expect((await cli(['restore', backupDir], restoredDir)).stderr).toContain(
      'already holds a database, its WAL or keys: restore into an empty folder.',
    );
    // The same keys: clients that pinned the signing key still trust the restored server.
    for (const name of ['signing-ed25519.json', 'hand-in-x25519.json'])
      expect(await readFile(join(restoredDir, name), 'utf8')).toBe(
        await readFile(join(db.dataDir, name), 'utf8'),
      );

    // The restored server: its answer is one the server had acknowledged, at least as new as
    // the last one acknowledged before the backup began, and it serves it to the candidate.
    await server.app.close();
    const storage = openStorage({ databaseUrl: null, dataDir: restoredDir });
    try {
      const again = await testServer(storage, server.keys, false);
      const answered = await again.app.inject({
        method: 'GET',
        url: CLIENT_ROUTES.answers,
        headers: client.headers(CLIENT_ROUTES.answers),
      });
      expect(answered.statusCode, answered.body).toBe(200);
      const text = answered.json<{ answers: { q2: { text: string } } }>().answers.q2.text;
      expect(acknowledged).toContain(text);
      expect(acknowledged.indexOf(text)).toBeGreaterThanOrEqual(before - 1);
      await again.app.close();
    } finally {
      await storage.close();
    }
  });

  it('refuses a backup folder whose files changed', async () => {
    const dataDir = await folder('vakt-data-');
    const storage = openStorage({ databaseUrl: null, dataDir });
    await storage.close();
    loadServerKeys(dataDir);
    const backupDir = join(await folder('vakt-backup-'), 'b');
    expect((await cli(['backup', backupDir], dataDir)).code).toBe(0);
    await writeFile(join(backupDir, 'signing-ed25519.json'), '{}\n');
    expect(await cli(['restore', backupDir], await folder('vakt-restored-'))).toMatchObject({
      code: 1,
      stderr: `signing-ed25519.json in ${backupDir} is missing or changed since the backup.\n`,
    });
  });
});
