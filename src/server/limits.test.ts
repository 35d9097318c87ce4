import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { connectionBudget, exemptFrom } from './limits';

const LIMITS = (
  soft: string,
) => `Limit                     Soft Limit           Hard Limit           Units
Max cpu time              unlimited            unlimited            seconds
Max open files            ${soft.padEnd(21)}524288               files
Max processes             63704                63704                processes
`;

describe('the proxies exempt from the per-address cap', () => {
  it('matches addresses and ranges, also as a dual-stack socket reports them', () => {
    const exempt = exemptFrom(['10.0.0.5', '192.168.0.0/16', 'fd00::/8', 'not an address']);
    expect(exempt('10.0.0.5')).toBe(true);
    expect(exempt('::ffff:10.0.0.5')).toBe(true);
    expect(exempt('192.168.44.1')).toBe(true);
    expect(exempt('::ffff:192.168.44.1')).toBe(true);
    expect(exempt('fd12::1')).toBe(true);
    expect(exempt('10.0.0.6')).toBe(false);
    expect(exempt('2001:db8::1')).toBe(false);
    expect(exempt('')).toBe(false);
  });
});

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
