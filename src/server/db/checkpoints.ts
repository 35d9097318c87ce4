import { Worker } from 'node:worker_threads';

import type SQLite from 'better-sqlite3';

/** SQLite's own default: a checkpoint once the WAL holds about this many pages. */
const SQLITE_AUTOCHECKPOINT = 1000;

type WorkerReply = { ok: true } | { ok: false; message: string };

/**
 * WAL checkpoints on a thread of their own. SQLite runs a checkpoint inside the commit that
 * fills the WAL past 1,000 pages: it copies them into the database file and flushes it, 4 ms
 * on average under load (121 of 9,626 commits in a 2,400-candidate bench step), with the
 * event loop and every request waiting. Here the server's connection never checkpoints; a
 * worker with a connection of its own runs a PASSIVE checkpoint (it never waits for the
 * writer) each time about as many writes have been made. If the worker fails, SQLite's own
 * checkpoints come back on, so the WAL cannot grow without end.
 */
export class CheckpointThread {
  private worker: Worker | null = null;
  private running = false;
  /** Failed (SQLite's own checkpoints are back) or closed: nothing more to do here. */
  private done = false;
  private lastWrites = 0;

  constructor(
    private readonly file: string,
    private readonly sqlite: SQLite.Database,
    private readonly everyWrites = SQLITE_AUTOCHECKPOINT,
    private readonly onError: (message: string) => void = logCheckpointError,
  ) {
    sqlite.pragma('wal_autocheckpoint = 0');
  }

  /** A checkpoint is under way on the thread. */
  get busy(): boolean {
    return this.running;
  }

  /** Told how many writes have been made so far; checkpoints once enough more have been. */
  afterWrites(writes: number): void {
    if (this.done || this.running || writes - this.lastWrites < this.everyWrites) return;
    this.lastWrites = writes;
    this.running = true;
    this.start().postMessage('checkpoint');
  }

  /** Stops the worker (its connection closes first, so the server's closes last). */
  async close(): Promise<void> {
    this.done = true;
    const worker = this.worker;
    this.worker = null;
    if (!worker) return;
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    // Unreferenced while idle, so referenced again: the process waits for it to finish.
    worker.ref();
    worker.postMessage('close');
    await exited;
  }

  /** The worker, started at the first checkpoint: a small database may never need one. */
  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL('./checkpoint-worker.mjs', import.meta.url), {
      workerData: { file: this.file },
    });
    worker.on('message', (reply: WorkerReply) => {
      this.running = false;
      if (!reply.ok) this.fail(`the WAL checkpoint failed: ${reply.message}`);
    });
    worker.on('error', (error: Error) =>
      this.fail(`the checkpoint thread failed: ${error.message}`),
    );
    worker.on('exit', (code) => this.fail(`the checkpoint thread stopped (code ${code})`));
    // An idle worker does not keep the process alive.
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private fail(message: string): void {
    if (this.done) return;
    this.done = true;
    void this.worker?.terminate();
    this.worker = null;
    this.sqlite.pragma(`wal_autocheckpoint = ${SQLITE_AUTOCHECKPOINT}`);
    this.onError(`${message}; SQLite checkpoints on the server's own thread from now on`);
  }
}

function logCheckpointError(message: string): void {
  console.error(`SQLite: ${message}`);
}
