import { performance } from 'node:perf_hooks';

import { DIALECTS } from '../test/support/databases';
import { fuzz } from '../test/support/fuzz';
import { startFuzzServer } from '../test/support/fuzz-target';

import { report } from './report';

/**
 * 100,000 schema-aware fuzzed requests (test/support/fuzz.ts) per database, over loopback:
 * prints how many answered 5xx or were dropped (both must be 0), the request rate, and
 * whether a normal candidate is served afterwards. VAKT_FUZZ_REQUESTS and VAKT_FUZZ_SEED
 * change the size and the seed.
 */
const REQUESTS = Number(process.env.VAKT_FUZZ_REQUESTS ?? 100_000);
const SEED = Number(process.env.VAKT_FUZZ_SEED ?? Date.now() % 1_000_000);

for (const dialect of DIALECTS) {
  const setup = await startFuzzServer(dialect);
  try {
    const started = performance.now();
    const outcome = await fuzz(setup.operations, setup.target, REQUESTS, SEED);
    const seconds = (performance.now() - started) / 1000;
    let normal = 1;
    try {
      await setup.normalCandidate();
    } catch (error) {
      normal = 0;
      console.error(`normal candidate after the fuzz: ${(error as Error).message}`);
    }
    const name = `fuzz-${dialect}`;
    report(name, 'requests', outcome.sent, 'requests');
    report(name, 'seed', SEED, 'seed');
    report(name, 'server-errors', outcome.serverErrors.length, 'responses');
    report(name, 'dropped', outcome.dropped.length, 'requests');
    report(name, 'rate', outcome.sent / seconds, 'requests/s');
    report(name, 'normal-candidate-served', normal, 'bool');
    for (const [status, count] of Object.entries(outcome.byStatus))
      report(name, `status-${status}`, count, 'responses');
    for (const line of [...outcome.serverErrors, ...outcome.dropped].slice(0, 20))
      console.error(line);
    if (outcome.serverErrors.length > 0 || outcome.dropped.length > 0 || !normal)
      process.exitCode = 1;
  } finally {
    await setup.close();
  }
}
