import { randomBytes, scryptSync } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { exitAllowedVia, verifyExitCode } from './exit-code';

describe('exit code', () => {
  const salt = randomBytes(16);
  const stored = {
    algorithm: 'scrypt' as const,
    N: 16_384,
    r: 8,
    p: 1,
    salt: salt.toString('hex'),
    hash: scryptSync('4711-blue', salt, 32, { N: 16_384, r: 8, p: 1 }).toString('hex'),
  };

  it('accepts the invigilator’s code and nothing else', async () => {
    expect(await verifyExitCode('4711-blue', stored)).toBe(true);
    expect(await verifyExitCode('4711-Blue', stored)).toBe(false);
    expect(await verifyExitCode('', stored)).toBe(false);
  });

  it('lets a candidate leave a replaced computer, and no one else without leave', async () => {
    const state = { submitted: false, quitAllowed: false, replaced: false };
    expect(await exitAllowedVia(state, stored, undefined)).toBeNull();
    expect(await exitAllowedVia({ ...state, replaced: true }, stored, undefined)).toBe('replaced');
    expect(await exitAllowedVia(state, stored, '4711-blue')).toBe('exit-code');
  });
});
