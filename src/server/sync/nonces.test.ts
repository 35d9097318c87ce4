import { describe, expect, it } from 'vitest';

import { nonceSchema } from '../../common/ids';

import { syncNonces } from './nonces';

const KEY = '11'.repeat(32);
const JOURNAL = '6f1c2a52-8d0e-4b8e-9c57-1b0f3e2d4a10';
const OTHER_JOURNAL = '0b7e9a4c-3f21-4d6a-8e55-c2d1f0a9b873';

describe('syncNonces', () => {
  const nonces = syncNonces(KEY);

  it('reads back the ordinal and time it issued, in the format clients check', () => {
    const issued = { ordinal: 4_000_000_000, issuedAt: 1_796_000_000_123 };
    const nonce = nonces.issue(JOURNAL, issued);
    expect(nonceSchema.safeParse(nonce).success).toBe(true);
    expect(nonces.read(JOURNAL, nonce)).toEqual(issued);
  });

  it('gives a different nonce for every ordinal and journal', () => {
    const seen = new Set<string>();
    for (const journal of [JOURNAL, OTHER_JOURNAL])
      for (let ordinal = 1; ordinal <= 100; ordinal++)
        seen.add(nonces.issue(journal, { ordinal, issuedAt: 1_000 }));
    expect(seen.size).toBe(200);
  });

  it('refuses a nonce issued to another journal or under another key', () => {
    const nonce = nonces.issue(JOURNAL, { ordinal: 1, issuedAt: 1_000 });
    expect(nonces.read(OTHER_JOURNAL, nonce)).toBeNull();
    expect(syncNonces('22'.repeat(32)).read(JOURNAL, nonce)).toBeNull();
  });

  it('refuses a nonce whose ordinal or time was changed', () => {
    const nonce = nonces.issue(JOURNAL, { ordinal: 7, issuedAt: 5_000 });
    // Ordinal 7 → 6, and the time 5,000 → 5,001 ms (its last hex digit).
    const otherOrdinal = `${nonce.slice(0, 7)}6${nonce.slice(8)}`;
    const otherTime = `${nonce.slice(0, 19)}9${nonce.slice(20)}`;
    expect(nonce.slice(0, 20)).toBe('00000007000000001388');
    expect(nonces.read(JOURNAL, otherOrdinal)).toBeNull();
    expect(nonces.read(JOURNAL, otherTime)).toBeNull();
  });

  it('refuses what is not a nonce of this kind', () => {
    expect(nonces.read(JOURNAL, 'ab'.repeat(16))).toBeNull(); // a random one, as issued before
    expect(nonces.read(JOURNAL, 'zz'.repeat(16))).toBeNull();
    expect(nonces.read(JOURNAL, 'ab'.repeat(15))).toBeNull();
    expect(nonces.read(JOURNAL, '')).toBeNull();
  });
});
