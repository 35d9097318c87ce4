// Opens one hand-in file off the main thread (hand-in-open.ts). Plain JavaScript, so Node can
// start it as a worker; it loads the TypeScript through tsx, as bin/vakt-server.mjs does.
import { parentPort, workerData } from 'node:worker_threads';

import { register } from 'tsx/esm/api';

register();
const { openHandInBytes } = await import('./open.ts');
try {
  const content = openHandInBytes(workerData.bytes, workerData.secretKey);
  parentPort.postMessage({ ok: true, content });
} catch (error) {
  const handIn = error instanceof Error && error.name === 'HandInError';
  parentPort.postMessage({ ok: false, handIn, message: String(error?.message ?? error) });
}
