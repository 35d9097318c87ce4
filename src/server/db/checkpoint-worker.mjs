// Copies SQLite's WAL into the database file off the main thread (checkpoints.ts). Plain
// JavaScript, so Node can start it as a worker without a TypeScript loader.
import { parentPort, workerData } from 'node:worker_threads';

import SQLite from 'better-sqlite3';

const db = new SQLite(workerData.file, { fileMustExist: true });
// The server's own connection takes the write lock for microseconds at a time.
db.pragma('busy_timeout = 5000');
// NORMAL: a checkpoint flushes the WAL before it copies pages and the database after.
db.pragma('synchronous = NORMAL');

parentPort.on('message', (message) => {
  if (message === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  try {
    // PASSIVE: copies what no reader still needs and never waits for the writer.
    db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ ok: true });
  } catch (error) {
    parentPort.postMessage({ ok: false, message: String(error?.message ?? error) });
  }
});
