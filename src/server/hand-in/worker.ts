import { parentPort, workerData } from 'node:worker_threads';

import { openHandInBytes } from './open';

/**
 * Opens one hand-in file off the main thread (thread.ts). The built server runs this bundled
 * as hand-in-worker.mjs; from the sources, hand-in-worker.mjs loads it through tsx.
 */
const { bytes, secretKey } = workerData as { bytes: Uint8Array; secretKey: string };
try {
  const content = openHandInBytes(bytes, secretKey);
  parentPort!.postMessage({ ok: true, content });
} catch (error) {
  const handIn = error instanceof Error && error.name === 'HandInError';
  const message = error instanceof Error ? error.message : String(error);
  parentPort!.postMessage({ ok: false, handIn, message });
}
