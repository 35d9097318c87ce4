import { z } from 'zod';

/**
 * Lone UTF-16 surrogates are not text: they cannot be stored as UTF-8, hashed canonically
 * (RFC 8785 refuses them) or shown. Every boundary refuses them with a clear message.
 */
const LONE_SURROGATE = /\p{Surrogate}/u;
// eslint-disable-next-line no-control-regex -- NUL is exactly what this looks for
const LONE_SURROGATE_OR_NUL = /[\p{Surrogate}\u0000]/u;

export function isWellFormedText(text: string): boolean {
  // A well-formed pair is one code point to the /u regex, so only lone halves match.
  return !LONE_SURROGATE.test(text);
}

/**
 * Text that can also be stored as a plain database string and used in a query: well formed,
 * and without NUL, which PostgreSQL's text type cannot hold. (Journal payloads are stored as
 * canonical JSON, where NUL is escaped, so they only need to be well formed.)
 */
export function isStorableText(text: string): boolean {
  return !LONE_SURROGATE_OR_NUL.test(text);
}

/**
 * Where in `value` a string (or key) holds a lone surrogate, as `.a[2].b`; null if nowhere.
 * Walks with its own stack, not recursion: a hostile body may nest a million levels deep.
 */
export function findMalformedText(
  value: unknown,
  accept: (text: string) => boolean = isWellFormedText,
): string | null {
  // Nearly every value is fine: a first walk builds no paths (a string per member, each
  // request); only a value with something to report is walked again to name where.
  if (allAccepted(value, accept)) return null;
  const stack: { value: unknown; path: string }[] = [{ value, path: '' }];
  while (stack.length > 0) {
    const { value: item, path } = stack.pop()!;
    if (typeof item === 'string') {
      if (!accept(item)) return path || '(root)';
      continue;
    }
    // Raw bodies (a hand-in file) are checked where they are parsed.
    if (typeof item !== 'object' || item === null || ArrayBuffer.isView(item)) continue;
    if (Array.isArray(item)) {
      for (let i = item.length - 1; i >= 0; i -= 1)
        stack.push({ value: item[i], path: `${path}[${i}]` });
      continue;
    }
    const entries: [string, unknown][] = Object.entries(item as Record<string, unknown>);
    for (let i = entries.length - 1; i >= 0; i -= 1) {
      const [key, member] = entries[i]!;
      if (!accept(key)) return `${path}.(key)`;
      stack.push({ value: member, path: `${path}.${key}` });
    }
  }
  return null;
}

/** Whether every string and key in `value` passes `accept` (findMalformedText's fast walk). */
function allAccepted(value: unknown, accept: (text: string) => boolean): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (typeof item === 'string') {
      if (!accept(item)) return false;
      continue;
    }
    if (typeof item !== 'object' || item === null || ArrayBuffer.isView(item)) continue;
    if (Array.isArray(item)) {
      for (const member of item) stack.push(member);
      continue;
    }
    for (const key in item) {
      if (!Object.hasOwn(item, key)) continue;
      if (!accept(key)) return false;
      stack.push((item as Record<string, unknown>)[key]);
    }
  }
  return true;
}

export const MALFORMED_TEXT_MESSAGE =
  'contains a broken character (a lone UTF-16 surrogate); send well-formed Unicode text';
export const UNSTORABLE_TEXT_MESSAGE =
  'contains a broken character (a lone UTF-16 surrogate) or a NUL; send well-formed Unicode text without NUL';

/**
 * `text` cut to at most `max` UTF-16 code units without splitting a character: a surrogate
 * pair is kept whole or left out, and lone surrogates already in the text are replaced with
 * U+FFFD, so what comes out can always be journaled and hashed.
 */
export function truncateText(text: string, max: number): string {
  const repaired = text.replace(/\p{Surrogate}/gu, '\uFFFD');
  if (repaired.length <= max) return repaired;
  const cut = repaired.slice(0, max);
  // A high surrogate at the end has lost its pair.
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}

/** A string schema that also refuses lone surrogates, for text people type. */
export function textSchema(max: number) {
  return z.string().max(max).refine(isWellFormedText, MALFORMED_TEXT_MESSAGE);
}
