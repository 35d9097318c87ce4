import { describe, expect, it } from 'vitest';

import { findMalformedText, isWellFormedText } from './well-formed';

describe('well-formed text', () => {
  it('accepts surrogate pairs and refuses lone halves', () => {
    expect(isWellFormedText('Blåbær 🫐')).toBe(true);
    expect(isWellFormedText('🫐'.slice(0, 1))).toBe(false);
    expect(isWellFormedText('\udc00 after')).toBe(false);
  });

  it('names where in a value the broken text is, keys included', () => {
    expect(findMalformedText({ a: [1, 'ok', { b: '\ud800' }] })).toBe('.a[2].b');
    expect(findMalformedText({ ['\ud800']: 1 })).toBe('.(key)');
    expect(findMalformedText({ a: ['fine'], b: null })).toBeNull();
  });

  it('walks a value nested far deeper than the call stack allows', () => {
    let deep: unknown = 'bottom \ud800';
    for (let i = 0; i < 200_000; i += 1) deep = [deep];
    expect(findMalformedText(deep)).toMatch(/^(\[0\]){200000}$/);
  });
});
