import { z } from 'zod';

import { canonicalJson } from './canonical-json';
import { EVENT_PAYLOADS, eventKindSchema, type EventKind, type EventPayload } from './events';
import { sha256Hex } from './hash';
import { epochMsSchema, sha256HexSchema } from './ids';
import { findMalformedText, MALFORMED_TEXT_MESSAGE } from './well-formed';

/** The `prev` of the first record of every journal. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * One journal record, as stored on disk (decrypted) and as uploaded:
 * `hash = sha256hex(prev ‖ canonical(record without hash))`.
 * `at` is the client's wall clock (epoch ms), `mono` its monotonic clock (ms since the
 * journal's process started counting), so the server can see a wall clock that jumps.
 */
export const journalRecordSchema = z
  .strictObject({
    seq: z.int().positive(),
    kind: eventKindSchema,
    at: epochMsSchema,
    mono: z.int().nonnegative(),
    payload: z.unknown(),
    prev: sha256HexSchema,
    hash: sha256HexSchema,
  })
  .superRefine((record, ctx) => {
    const malformed = findMalformedText(record.payload);
    if (malformed !== null) {
      ctx.addIssue({ code: 'custom', message: `payload${malformed} ${MALFORMED_TEXT_MESSAGE}` });
      return;
    }
    const result = EVENT_PAYLOADS[record.kind].safeParse(record.payload);
    if (!result.success) {
      for (const issue of result.error.issues) {
        ctx.addIssue({ code: 'custom', message: issue.message, path: ['payload', ...issue.path] });
      }
    }
  });

export type JournalRecord = Omit<z.infer<typeof journalRecordSchema>, 'payload'> & {
  payload: unknown;
};
export type UnhashedRecord = Omit<JournalRecord, 'hash'>;

export interface NewEntry<K extends EventKind = EventKind> {
  kind: K;
  at: number;
  mono: number;
  payload: EventPayload<K>;
}

/** A SHA-256 of UTF-8 text as lower-case hex; main passes Node's native one, which is faster. */
export type Sha256Hex = (text: string) => string;

/**
 * sha256hex(prev ‖ canonical(record without hash)). `payloadText`, when the caller has it
 * already, is canonicalJson(record.payload): the record's canonical form is then put together
 * around it rather than serialising the payload again (its members are in canonical order: at,
 * kind, mono, payload, prev, seq).
 */
export function recordHash(
  record: UnhashedRecord,
  digest: Sha256Hex = sha256Hex,
  payloadText?: string,
): string {
  const { seq, kind, at, mono, payload, prev } = record;
  if (payloadText === undefined || payload === undefined)
    return digest(prev + canonicalJson({ seq, kind, at, mono, payload, prev }));
  const members: [string, unknown][] = [
    ['at', at],
    ['kind', kind],
    ['mono', mono],
    ['payload', payload],
    ['prev', prev],
    ['seq', seq],
  ];
  let text = '';
  for (const [name, value] of members) {
    if (value === undefined) continue; // as canonicalJson skips an absent member
    const json = name === 'payload' ? payloadText : canonicalJson(value);
    text += `${text === '' ? '' : ','}"${name}":${json}`;
  }
  return digest(`${prev}{${text}}`);
}

/** The record that follows `previous` (or starts a journal when `previous` is null). */
export function chainRecord(
  previous: Pick<JournalRecord, 'seq' | 'hash'> | null,
  entry: NewEntry,
  digest: Sha256Hex = sha256Hex,
): JournalRecord {
  const unhashed: UnhashedRecord = {
    seq: previous ? previous.seq + 1 : 1,
    kind: entry.kind,
    at: entry.at,
    mono: entry.mono,
    payload: entry.payload,
    prev: previous ? previous.hash : GENESIS_HASH,
  };
  return { ...unhashed, hash: recordHash(unhashed, digest) };
}

export type ChainBreak = { index: number; seq: number; reason: 'seq' | 'prev' | 'hash' };

/**
 * Checks that `records` continue a chain whose last record was `after` (null: from the
 * start). Returns the first break, or null when every record links and hashes correctly.
 */
export function findChainBreak(
  records: readonly JournalRecord[],
  after: Pick<JournalRecord, 'seq' | 'hash'> | null = null,
  digest: Sha256Hex = sha256Hex,
): ChainBreak | null {
  let expectedSeq = after ? after.seq + 1 : 1;
  let expectedPrev = after ? after.hash : GENESIS_HASH;
  for (const [index, record] of records.entries()) {
    if (record.seq !== expectedSeq) return { index, seq: record.seq, reason: 'seq' };
    if (record.prev !== expectedPrev) return { index, seq: record.seq, reason: 'prev' };
    if (record.hash !== recordHash(record, digest))
      return { index, seq: record.seq, reason: 'hash' };
    expectedSeq += 1;
    expectedPrev = record.hash;
  }
  return null;
}
