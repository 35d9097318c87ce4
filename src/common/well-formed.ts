/**
 * Lone UTF-16 surrogates are not text: they cannot be stored as UTF-8, hashed canonically
 * (RFC 8785 refuses them) or shown. Every boundary refuses them with a clear message.
 */
const LONE_SURROGATE = /\p{Surrogate}/u;

export function isWellFormedText(text: string): boolean {
  // A well-formed pair is one code point to the /u regex, so only lone halves match.
  return !LONE_SURROGATE.test(text);
}

/** Where in `value` a string (or key) holds a lone surrogate, as `.a[2].b`; null if nowhere. */
export function findMalformedText(value: unknown, path = ''): string | null {
  if (typeof value === 'string') return isWellFormedText(value) ? null : path || '(root)';
  // Raw bodies (a hand-in file) are checked where they are parsed.
  if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value)) return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) {
      const found = findMalformedText(value[i], `${path}[${i}]`);
      if (found !== null) return found;
    }
    return null;
  }
  for (const [key, member] of Object.entries(value)) {
    if (!isWellFormedText(key)) return `${path}.(key)`;
    const found = findMalformedText(member, `${path}.${key}`);
    if (found !== null) return found;
  }
  return null;
}

export const MALFORMED_TEXT_MESSAGE =
  'contains a broken character (a lone UTF-16 surrogate); send well-formed Unicode text';
