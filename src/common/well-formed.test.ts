import { describe, expect, it } from 'vitest';

import { findMalformedText, isWellFormedText, truncateText } from './well-formed';

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

  it('cuts text at character boundaries and repairs lone halves', () => {
    const berries = '🫐'.repeat(3); // six code units
    expect(truncateText(berries, 5)).toBe('🫐🫐');
    expect(truncateText(berries, 6)).toBe(berries);
    expect(truncateText(`a\ud800b`, 10)).toBe('a\ufffdb');
    expect(isWellFormedText(truncateText('x🫐'.repeat(100), 51))).toBe(true);
  });

  it('walks a value nested far deeper than the call stack allows', () => {
    let deep: unknown = 'bottom \ud800';
    for (let i = 0; i < 200_000; i += 1) deep = [deep];
    expect(findMalformedText(deep)).toMatch(/^(\[0\]){200000}$/);
  });
});
