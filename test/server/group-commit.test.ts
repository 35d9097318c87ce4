import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, expect, it } from 'vitest';

import type { Ack } from '../../src/common/api';
import { migrate, openStorage, type Storage } from '../../src/server/db/database';
import { ExamClient } from '../support/exam-client';
import { testServer, type TestServer } from '../support/server';

let dataDir: string;
let storage: Storage;
let server: TestServer;

afterEach(async () => {
  await server.app.close();
  await storage.close();
  await rm(dataDir, { recursive: true, force: true });
});

it('acknowledges stored records only once the WAL holding them is flushed', async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'vakt-group-commit-'));
  // The disk flush can be held back; otherwise it is the real fdatasync.
  let release: (() => void) | null = null;
  let hold = false;
  let flushes = 0;
  storage = openStorage({
    databaseUrl: null,
    dataDir,
    flushWal: async (flush) => {
      flushes += 1;
      if (hold) await new Promise<void>((resolve) => (release = resolve));
      await flush();
    },
  });
  await migrate(storage.db);
  server = await testServer(storage);
  const client = new ExamClient(server.app);
  expect((await client.signIn()).statusCode).toBe(200);
  await client.fetchPackage();

  hold = true;
  client.append('answer.saved', {
    questionId: 'q2',
    value: { type: 'short-text', text: 'canary-answer-7f3a' },
  });
  let answered = false;
  const upload = client.upload(client.records).then((response) => {
    answered = true;
    return response;
  });
  await new Promise((resolve) => setTimeout(resolve, 300));
  // Committed (written to the WAL, readable) but not on disk yet: no acknowledgement.
  const wal = await readFile(join(dataDir, 'vakt.sqlite-wal'));
  expect(wal.includes('canary-answer-7f3a')).toBe(true);
  expect(answered).toBe(false);

  release!();
  const response = await upload;
  expect(response.statusCode).toBe(200);
  expect(response.json<Ack>().watermark).toBe(1);
  hold = false;

  // Heartbeats from many candidates at once share flushes rather than one each.
  const before = flushes;
  await Promise.all(Array.from({ length: 20 }, () => client.heartbeat()));
  expect(flushes - before).toBeLessThan(20);
});
