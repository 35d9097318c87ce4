import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

import { describe, expect, it } from 'vitest';

// @ts-expect-error -- a plain .mjs script (it must run on any Node), without types
import { nodeProblem } from './check-node.mjs';

const check = nodeProblem as (version: string) => string | null;

describe('the Node check before npm install', () => {
  it('refuses an older Node in one line that says which Node is needed', () => {
    const problem = check('20.20.2');
    expect(problem).toBe(
      'Vakt needs Node 22.12 or newer (Node 24 is what it targets); this is Node 20.20.2.',
    );
    expect(check('22.11.0')).not.toBeNull();
  });

  it('accepts 22.12 and newer', () => {
    expect(check('22.12.0')).toBeNull();
    expect(check('24.21.0')).toBeNull();
    expect(check('v30.0.0')).toBeNull();
  });

  it('exits 0 under this Node (the one the tests run on)', async () => {
    const script = new URL('./check-node.mjs', import.meta.url).pathname;
    await expect(promisify(execFile)(process.execPath, [script])).resolves.toBeDefined();
  });
});
