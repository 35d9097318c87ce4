import { Worker } from 'node:worker_threads';

import { HandInError, type HandInContent } from '../../common/hand-in';

type WorkerReply =
  { ok: true; content: HandInContent } | { ok: false; handIn: boolean; message: string };

/**
 * Opens a hand-in file in a worker thread; rejects with HandInError when the file is not one
 * we can open. One worker per file: hand-ins are rare, and a worker that dies takes nothing
 * else with it.
 */
export function openHandInOffThread(
  bytes: Uint8Array,
  secretKeyHex: string,
): Promise<HandInContent> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./hand-in-worker.mjs', import.meta.url), {
      workerData: { bytes, secretKey: secretKeyHex },
      // A file is at most HAND_IN_BODY_LIMIT bytes; its parsed form fits well inside this.
      resourceLimits: { maxOldGenerationSizeMb: 1_024 },
    });
    let settled = false;
    worker.once('message', (reply: WorkerReply) => {
      settled = true;
      if (reply.ok) resolve(reply.content);
      else reject(reply.handIn ? new HandInError(reply.message) : new Error(reply.message));
      void worker.terminate();
    });
    worker.once('error', (error: Error) => {
      if (!settled) reject(error);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`hand-in worker stopped with code ${code}`));
    });
  });
}
