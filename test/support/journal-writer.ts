import { performance } from 'node:perf_hooks';

import { nodeFs } from '../../src/main/fs-port';
import { Journal } from '../../src/main/journal/journal';

/**
 * A child process for the crash test: appends answers as fast as it can and prints
 * "<seq> <hash>" for each append once it has resolved — the parent kills it at random.
 */
const [dir, keyHex, journalId] = process.argv.slice(2);
const { journal } = await Journal.open({
  fs: nodeFs,
  dir: dir!,
  journalId: journalId!,
  key: Buffer.from(keyHex!, 'hex'),
  clock: { now: Date.now, mono: () => performance.now() },
});
for (let n = 0; ; n += 1) {
  const record = await journal.append(
    journal.entry('answer.saved', {
      questionId: `q${n % 5}`,
      value: { type: 'long-text', text: 'x'.repeat(n % 400) },
    }),
  );
  process.stdout.write(`${record.seq} ${record.hash}\n`);
}
