import { describe, expect, it } from 'vitest';

import { isOlderThan } from './versions';

describe('minimum client version', () => {
  it.each([
    ['1.0.0', '1.0.0', false],
    ['1.0.1', '1.0.0', false],
    ['1.10.0', '1.9.9', false],
    ['0.9.9', '1.0.0', true],
    // A pre-release comes before its release.
    ['1.0.0-beta.1', '1.0.0', true],
    ['1.0.1-beta.1', '1.0.0', false],
    ['1.0.0+build.7', '1.0.0', false],
    ['not-a-version', '0.0.1', true],
    ['1.0', '1.0.0', true],
  ])('%s against a minimum of %s: too old is %s', (client, minimum, expected) => {
    expect(isOlderThan(client, minimum)).toBe(expected);
  });
});
