import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { STAFF_ERROR_CODES } from '../src/common/staff-errors';

const root = new URL('..', import.meta.url).pathname;
/** Where the staff API's refusals are thrown. */
const FOLDERS = [
  'src/server/routes',
  'src/server/exams',
  'src/server/privacy',
  'src/server/hand-in',
];
/** Where every route's failures are answered: the error handler and the server's limits. */
const SHARED = ['src/server/errors.ts', 'src/server/limits.ts'];
/** Listed problem by problem instead (the Problems part words its heading). */
const LISTED = new Set(['invalid-exam']);

describe('staff refusals', () => {
  it('are all in the closed list the dashboard words', async () => {
    const thrown = new Set<string>();
    for (const folder of FOLDERS) {
      for (const name of await readdir(join(root, folder))) {
        if (!name.endsWith('.ts') || name.endsWith('.test.ts')) continue;
        // The client's routes refuse candidates, in the candidate UI's own words.
        if (folder === 'src/server/routes' && !name.startsWith('staff')) continue;
        const text = await readFile(join(root, folder, name), 'utf8');
        for (const match of text.matchAll(/HttpError\(\s*\d+,\s*'([a-z-]+)'/g))
          thrown.add(match[1]!);
      }
    }
    for (const file of SHARED) {
      const text = await readFile(join(root, file), 'utf8');
      const patterns = [
        /HttpError\(\s*\d+,\s*'([a-z-]+)'/g,
        /apiError\(\s*\w+,\s*(?:\d+|status),\s*'([a-z-]+)'/g,
        /super\(\s*\d+,\s*'([a-z-]+)'/g,
        // FASTIFY_CODES' values, and the fallbacks beside it.
        /^\s+FST_ERR_\w+: '([a-z-]+)',$/gm,
        /\? '([a-z-]+)' : '([a-z-]+)'/g,
      ];
      for (const pattern of patterns)
        for (const match of text.matchAll(pattern))
          for (const code of match.slice(1)) if (code) thrown.add(code);
    }
    for (const code of ['unavailable', 'internal', 'busy', 'bad-request', 'invalid-request'])
      expect(thrown, code).toContain(code);
    expect(thrown.size).toBeGreaterThan(20);
    const unworded = [...thrown].filter(
      (code) => !LISTED.has(code) && !(STAFF_ERROR_CODES as readonly string[]).includes(code),
    );
    expect(unworded).toEqual([]);
  });
});
