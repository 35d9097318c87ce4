import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import SQLite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';

import { GroupCommit, sqliteConnection, WalFile } from './group-commit';

/** A flush the test finishes by hand, counting how many began. */
function heldFlush() {
  const started: (() => void)[] = [];
  let fail: Error | null = null;
  return {
    started,
    failNext(error: Error) {
      fail = error;
    },
    flush: () =>
      new Promise<void>((resolve, reject) => {
        const error = fail;
        fail = null;
        started.push(() => (error ? reject(error) : resolve()));
      }),
  };
}

const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('GroupCommit', () => {
  it('flushes nothing when nothing was written', async () => {
    const held = heldFlush();
    await new GroupCommit(held.flush).durable();
    expect(held.started).toHaveLength(0);
  });

  it('answers many waiters with one flush, and only once it has finished', async () => {
    const held = heldFlush();
    const commits = new GroupCommit(held.flush);
    commits.wrote();
    commits.wrote();
    let done = 0;
    const waiters = [1, 2, 3].map(() => commits.durable().then(() => (done += 1)));
    await settled();
    expect(held.started).toHaveLength(1);
    expect(done).toBe(0);
    held.started[0]!();
    await Promise.all(waiters);
    expect(done).toBe(3);
  });

  it('does not count a flush that began before a write as covering it', async () => {
    const held = heldFlush();
    const commits = new GroupCommit(held.flush);
    commits.wrote();
    const first = commits.durable();
    await settled();
    commits.wrote();
    let secondDone = false;
    const second = commits.durable().then(() => (secondDone = true));
    held.started[0]!();
    await first;
    await settled();
    expect(secondDone).toBe(false);
    expect(held.started).toHaveLength(2);
    held.started[1]!();
    await second;
    expect(secondDone).toBe(true);
  });

  it('fails the waiters of a failed flush, and flushes again for the next', async () => {
    const held = heldFlush();
    const commits = new GroupCommit(held.flush);
    commits.wrote();
    held.failNext(new Error('EIO'));
    const failed = commits.durable();
    await settled();
    held.started[0]!();
    await expect(failed).rejects.toThrow('EIO');
    const retried = commits.durable();
    await settled();
    expect(held.started).toHaveLength(2);
    held.started[1]!();
    await retried;
  });
});

describe('sqliteConnection', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reuses prepared statements and counts only writes', async () => {
    dir = mkdtempSync(join(tmpdir(), 'vakt-group-commit-'));
    const sqlite = new SQLite(join(dir, 'db.sqlite'));
    sqlite.pragma('journal_mode = WAL');
    const held = heldFlush();
    const commits = new GroupCommit(held.flush);
    const connection = sqliteConnection(sqlite, commits, 2);
    connection.prepare('create table t (v integer)').run([]);
    const insert = connection.prepare('insert into t values (?)');
    expect(connection.prepare('insert into t values (?)')).toBe(insert);
    insert.run([1]);
    const select = connection.prepare('select v from t');
    expect(select.all([])).toEqual([{ v: 1 }]);
    // Two statements kept: a third starts the cache again.
    expect(connection.prepare('insert into t values (?)')).not.toBe(insert);
    const reads = () => commits.durable();
    // create + insert twice counted; the select not: one flush is owed.
    const waiting = reads();
    await settled();
    expect(held.started).toHaveLength(1);
    held.started[0]!();
    await waiting;
    connection.prepare('select v from t').all([]);
    await commits.durable();
    expect(held.started).toHaveLength(1);
    sqlite.close();
  });

  it('treats a missing WAL as nothing to flush, but fails on any other error', async () => {
    dir = mkdtempSync(join(tmpdir(), 'vakt-group-commit-'));
    const wal = new WalFile(join(dir, 'absent-wal'));
    await expect(wal.flush()).resolves.toBeUndefined();
    // Written later: the next flush finds it, and keeps it open for the flushes after.
    writeFileSync(join(dir, 'absent-wal'), 'frames');
    await expect(wal.flush()).resolves.toBeUndefined();
    await expect(wal.flush()).resolves.toBeUndefined();
    wal.close();
    // A WAL that cannot be opened for another reason is not silently taken as flushed.
    await expect(new WalFile(dir).flush()).rejects.toThrow(/EISDIR/);
  });
});
