import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { chainRecord, GENESIS_HASH, type JournalRecord } from '../../common/journal-record';

import { syncNonces } from './nonces';
import { verifyBatch, type JournalHead } from './verify';

const nonces = syncNonces('11'.repeat(32));
const JOURNAL = 'journal-1';

/** A client's true chain of `n` records; the nonces it returns are the ones in `returning`. */
function chain(n: number, returning: Record<number, string> = {}): JournalRecord[] {
  const records: JournalRecord[] = [];
  for (let seq = 1; seq <= n; seq += 1) {
    const entry =
      seq in returning
        ? { kind: 'sync.nonce' as const, payload: { nonce: returning[seq]! } }
        : { kind: 'focus.regained' as const, payload: { durationMs: seq } };
    records.push(chainRecord(records.at(-1) ?? null, { ...entry, at: 1_000 + seq, mono: seq }));
  }
  return records;
}

/** The server's view after storing `stored` of them. */
function head(stored: JournalRecord[], more: Partial<JournalHead> = {}): JournalHead {
  return {
    watermark: stored.at(-1)?.seq ?? 0,
    headHash: stored.at(-1)?.hash ?? GENESIS_HASH,
    storedBytes: 0,
    nonceOrdinal: 0,
    returnedOrdinal: 0,
    returnedIssuedAt: null,
    ...more,
  };
}

function verify(journal: JournalHead, records: JournalRecord[], stored: JournalRecord[] = []) {
  return verifyBatch(journal, {
    records,
    storedHashes: new Map(stored.map((record) => [record.seq, record.hash])),
    quotaBytes: 10_000,
    readNonce: (nonce) => nonces.read(JOURNAL, nonce),
  });
}

describe('verifying a batch (no I/O)', () => {
  it('accepts what continues the journal, and skips what it already has', () => {
    const records = chain(5);
    const verdict = verify(head(records.slice(0, 2)), records.slice(1), records.slice(0, 2));
    expect(verdict.refusal).toBeNull();
    expect(verdict.accepted.map(({ record }) => record.seq)).toEqual([3, 4, 5]);
  });

  it('refuses a fork and sets aside everything from it', () => {
    const records = chain(3);
    const other = chain(3).map((record) => ({ ...record, hash: 'f'.repeat(64) }));
    const verdict = verify(head(records), [records[0]!, other[1]!, other[2]!], records);
    expect(verdict.refusal).toMatchObject({ code: 'fork', seq: 2 });
    expect(verdict.quarantine?.records.map((r) => r.seq)).toEqual([2, 3]);
    expect(verdict.accepted).toEqual([]);
  });

  it('asks for the next record after a gap, keeping nothing aside', () => {
    const records = chain(5);
    const verdict = verify(head(records.slice(0, 2)), records.slice(3));
    expect(verdict.refusal).toMatchObject({ code: 'gap', expectedSeq: 3 });
    expect(verdict.quarantine).toBeNull();
  });

  it('refuses a batch that would pass the quota before storing any of it', () => {
    const verdict = verify(head([], { storedBytes: 9_990 }), chain(2));
    expect(verdict).toMatchObject({ overQuota: true, refusal: { code: 'quota' }, accepted: [] });
  });

  it('takes a returned nonce in order once, bounding the records after it', () => {
    const issued = nonces.issue(JOURNAL, { ordinal: 1, issuedAt: 5_000 });
    const records = chain(4, { 2: issued });
    const verdict = verify(head([], { nonceOrdinal: 1 }), records);
    expect(verdict.refusal).toBeNull();
    expect(verdict.accepted.map(({ notBefore }) => notBefore)).toEqual([null, 5_000, 5_000, 5_000]);
    expect(verdict.returned).toEqual({ ordinal: 1, issuedAt: 5_000 });
    // Returned again (or one issued to another journal): refused, the prefix before it kept.
    const again = verify(head([], { nonceOrdinal: 1, returnedOrdinal: 1 }), records);
    expect(again.refusal).toMatchObject({ code: 'nonce' });
    expect(again.accepted.map(({ record }) => record.seq)).toEqual([1]);
    expect(again.quarantine?.records.map((r) => r.seq)).toEqual([2, 3, 4]);
  });

  it('never accepts a record that does not recompute, whatever was changed', () => {
    const records = chain(6);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5 }),
        fc.constantFrom('payload', 'prev', 'hash', 'seq', 'at'),
        (at, field) => {
          const tampered = records.map((record, index) => {
            if (index !== at) return record;
            switch (field) {
              case 'payload':
                return { ...record, payload: { durationMs: -1 } };
              case 'prev':
                return { ...record, prev: 'e'.repeat(64) };
              case 'hash':
                return { ...record, hash: 'e'.repeat(64) };
              case 'seq':
                return { ...record, seq: record.seq + 10 };
              default:
                return { ...record, at: record.at + 1 };
            }
          });
          const verdict = verify(head([]), tampered);
          // Exactly the honest prefix before the change is accepted; nothing after it.
          expect(verdict.accepted.map(({ record }) => record)).toEqual(records.slice(0, at));
          expect(verdict.refusal).not.toBeNull();
        },
      ),
    );
  });
});
