import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import SQLite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';

import { CheckpointThread } from './checkpoints';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function walDatabase() {
  const dir = mkdtempSync(join(tmpdir(), 'vakt-checkpoint-'));
  dirs.push(dir);
  const file = join(dir, 'vakt.sqlite');
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.exec('create table rows (id integer primary key, body text not null)');
  return { file, sqlite };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const ROW = 'x'.repeat(3_000);

describe('CheckpointThread', () => {
  it('copies the WAL into the database from its own thread, so the WAL is reused', async () => {
    const { file, sqlite } = walDatabase();
    const checkpoints = new CheckpointThread(file, sqlite, 50);
    const insert = sqlite.prepare('insert into rows (body) values (?)');
    let writes = 0;
    // 2,000 rows of 3 KB (about 6 MB) in transactions of 50, as requests would make them.
    for (let round = 0; round < 40; round += 1) {
      sqlite.transaction(() => {
        for (let i = 0; i < 50; i += 1) insert.run(ROW);
      })();
      writes += 50;
      checkpoints.afterWrites(writes);
      // As a server that keeps up would: the next writes after the checkpoint (however long a
      // loaded machine takes for it), or the WAL grows while it runs.
      while (checkpoints.busy) await pause(5);
    }
    const written = 2_000 * ROW.length;
    // The rows reached the database file, and the WAL holds only the latest of them.
    expect(statSync(file).size).toBeGreaterThan(written * 0.8);
    expect(statSync(`${file}-wal`).size).toBeLessThan(written * 0.5);
    await checkpoints.close();
    expect(sqlite.prepare('select count(*) as n from rows').get()).toEqual({ n: 2_000 });
    sqlite.close();
    // The server's connection closed last: it emptied and removed the WAL.
    expect(existsSync(`${file}-wal`)).toBe(false);
  });

  it("never checkpoints on the server's connection while the thread does it", () => {
    const { file, sqlite } = walDatabase();
    const checkpoints = new CheckpointThread(file, sqlite);
    expect(sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    const insert = sqlite.prepare('insert into rows (body) values (?)');
    // 1,500 pages and more, past SQLite's own 1,000-page checkpoint, and nothing is copied.
    const before = statSync(file).size;
    for (let i = 0; i < 1_500; i += 1) insert.run(ROW);
    expect(statSync(file).size).toBe(before);
    void checkpoints.close();
    sqlite.close();
  });

  it("turns SQLite's own checkpoints back on, and says so, when the thread fails", async () => {
    const { file, sqlite } = walDatabase();
    const errors: string[] = [];
    const checkpoints = new CheckpointThread(`${file}.missing`, sqlite, 10, (message) =>
      errors.push(message),
    );
    checkpoints.afterWrites(10);
    await expect.poll(() => errors, { timeout: 10_000 }).toHaveLength(1);
    expect(errors[0]).toMatch(/checkpoint thread failed: .*SQLite checkpoints on the server's own/);
    expect(sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    // Nothing more is asked of the failed thread.
    checkpoints.afterWrites(1_000);
    await pause(50);
    expect(errors).toHaveLength(1);
    await checkpoints.close();
    sqlite.close();
  });
});
