import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { connectionBudget } from './limits';

const LIMITS = (
  soft: string,
) => `Limit                     Soft Limit           Hard Limit           Units
Max cpu time              unlimited            unlimited            seconds
Max open files            ${soft.padEnd(21)}524288               files
Max processes             63704                63704                processes
`;

describe('the connection budget', () => {
  it('keeps file handles back for the database and files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vakt-limits-'));
    try {
      const file = join(dir, 'limits');
      await writeFile(file, LIMITS('700'));
      expect(connectionBudget(file)).toBe(630);
      await writeFile(file, LIMITS('65536'));
      expect(connectionBudget(file)).toBe(58_983);
      await writeFile(file, LIMITS('unlimited'));
      expect(connectionBudget(file)).toBeNull();
      expect(connectionBudget(join(dir, 'missing'))).toBeNull();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
