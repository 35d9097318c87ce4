import { isWellFormedText } from './well-formed';

/**
 * Canonical JSON per RFC 8785 (JSON Canonicalization Scheme).
 *
 * Numbers use ECMAScript's Number-to-String (which RFC 8785 adopts), strings use
 * JSON.stringify's escaping (identical to RFC 8785 §3.2.2.2), object members are sorted by
 * their UTF-16 code units. Input outside I-JSON — NaN, Infinity, lone surrogates, non-plain
 * objects — is refused rather than silently coerced, because a hash over a coerced value
 * would not match the other side's.
 */

export class CanonicalJsonError extends Error {
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(`${message} at ${path || '(root)'}`);
    this.name = 'CanonicalJsonError';
  }
}

function serializeString(value: string, path: string): string {
  if (!isWellFormedText(value)) {
    throw new CanonicalJsonError('String contains a lone surrogate (not I-JSON)', path);
  }
  return JSON.stringify(value);
}

function serializeNumber(value: number, path: string): string {
  if (!Number.isFinite(value)) {
    throw new CanonicalJsonError(`Number ${String(value)} is not allowed in JSON`, path);
  }
  // ECMAScript Number::toString; -0 serialises as "0" as the RFC requires.
  return Object.is(value, -0) ? '0' : String(value);
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function serialize(value: unknown, path: string): string {
  switch (typeof value) {
    case 'string':
      return serializeString(value, path);
    case 'number':
      return serializeNumber(value, path);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        return `[${value.map((item, index) => serialize(item, `${path}[${index}]`)).join(',')}]`;
      }
      if (!isPlainObject(value)) {
        throw new CanonicalJsonError('Only plain objects and arrays can be canonicalised', path);
      }
      const members: string[] = [];
      // Default sort compares UTF-16 code units, which is exactly RFC 8785 §3.2.3.
      for (const key of Object.keys(value).sort()) {
        const member = value[key];
        // Absent optional fields are skipped, as JSON.stringify does, so a parsed object with
        // `key: undefined` hashes the same as one without the key.
        if (member === undefined) continue;
        const memberPath = `${path}.${key}`;
        members.push(`${serializeString(key, memberPath)}:${serialize(member, memberPath)}`);
      }
      return `{${members.join(',')}}`;
    }
    default:
      throw new CanonicalJsonError(`A ${typeof value} cannot be represented in JSON`, path);
  }
}

/** Thrown by the fast serialiser; canonicalJson then finds where, with the one that tracks it. */
const REFUSED = new Error('not I-JSON');

/**
 * The same output as `serialize`, without building a path for every member (a quarter of the
 * time on journal records): it only says that something is refused, not where.
 */
function serializeFast(value: unknown): string {
  switch (typeof value) {
    case 'string':
      if (!isWellFormedText(value)) throw REFUSED;
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw REFUSED;
      return Object.is(value, -0) ? '0' : String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i += 1)
          out += (i === 0 ? '' : ',') + serializeFast(value[i]);
        return `${out}]`;
      }
      if (!isPlainObject(value)) throw REFUSED;
      let out = '';
      for (const key of Object.keys(value).sort()) {
        const member = value[key];
        if (member === undefined) continue;
        out += `${out === '' ? '' : ','}${serializeFast(key)}:${serializeFast(member)}`;
      }
      return `{${out}}`;
    }
    default:
      throw REFUSED;
  }
}

/** The RFC 8785 canonical form of a JSON value, as a string. */
export function canonicalJson(value: unknown): string {
  try {
    return serializeFast(value);
  } catch (error) {
    if (error !== REFUSED) throw error;
    return serialize(value, ''); // throws a CanonicalJsonError naming where
  }
}
