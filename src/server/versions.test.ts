import { describe, expect, it } from 'vitest';

import { compareVersions } from './versions';

describe('compareVersions', () => {
  it.each([
    ['1.0.0', '1.0.0', 0],
    ['1.0.1', '1.0.0', 1],
    ['1.10.0', '1.9.9', 1],
    ['0.9.9', '1.0.0', -1],
    ['2.0.0-beta.1', '2.0.0', 0],
  ])('%s vs %s is %i', (a, b, expected) => {
    expect(compareVersions(a, b)).toBe(expected);
  });
});
