import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { DIALECTS } from '../support/databases';
import { fuzz } from '../support/fuzz';
import { startFuzzServer, type FuzzSetup } from '../support/fuzz-target';

/**
 * Server trust: 2,000 schema-aware fuzzed requests per database, built from the server's own
 * OpenAPI document (`npm run bench -- fuzz` sends 100,000). Bad input gets a 4xx, never a
 * 5xx or a dropped connection, and a normal candidate is served afterwards.
 */
const REQUESTS = Number(process.env.VAKT_FUZZ_REQUESTS ?? 2_000);

describe.each(DIALECTS)('fuzzing the API on %s', (dialect) => {
  let setup: FuzzSetup;

  beforeAll(async () => {
    setup = await startFuzzServer(dialect);
  });

  afterAll(async () => {
    await setup.close();
  });

  it(`answers ${REQUESTS} broken requests with 4xx, and a normal candidate afterwards`, async () => {
    const seed = Number(process.env.VAKT_FUZZ_SEED ?? 20261202);
    const outcome = await fuzz(setup.operations, setup.target, REQUESTS, seed);
    expect(outcome.sent).toBe(REQUESTS);
    expect(outcome.serverErrors).toEqual([]);
    expect(outcome.dropped).toEqual([]);
    expect(setup.server.serverErrors).toEqual([]);
    // The fuzz reached handlers, not only the schema check.
    expect(Object.keys(outcome.byStatus).map(Number)).toEqual(
      expect.arrayContaining([200, 400, 401, 404]),
    );
    await setup.normalCandidate();
  }, 300_000);
});
