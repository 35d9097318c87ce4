import { describe, expect, it } from 'vitest';

import { canonicalJson } from './canonical-json';
import {
  chainRecord,
  findChainBreak,
  GENESIS_HASH,
  journalRecordSchema,
  recordHash,
  type JournalRecord,
} from './journal-record';

// Each hash computed outside this code with coreutils, from the canonical text of the
// record without its hash (members sorted, no spaces):
//   printf '%s%s' "$PREV" '{"at":…,"kind":…,"mono":…,"payload":…,"prev":"'$PREV'","seq":N}' | sha256sum
const H1 = '80862f0732053fcd041f5b27d737773bc41979296c680ebde871cd9e2f7c85b2';
const H2 = 'd359d9941a9aa066458a9096747bdbd58ad6ceb37cc475eaaa2fa55d0d5da503';
const H3 = 'f0828a4714b856448ce1665404d2e834871853af09f79256605a820f9a2d81ba';

function threeRecords(): JournalRecord[] {
  const r1 = chainRecord(null, {
    kind: 'session.started',
    at: 1767225600000,
    mono: 0,
    payload: { examId: 'demo', clientVersion: '0.1.0' },
  });
  const r2 = chainRecord(r1, {
    kind: 'answer.saved',
    at: 1767225601000,
    mono: 1000,
    payload: { questionId: 'q1', value: { type: 'single-choice', optionId: 'b' } },
  });
  const r3 = chainRecord(r2, {
    kind: 'focus.lost',
    at: 1767225602500,
    mono: 2500,
    payload: { app: 'Discord' },
  });
  return [r1, r2, r3];
}

describe('journal record chain', () => {
  it('matches hashes computed with sha256sum for a three-record chain', () => {
    const [r1, r2, r3] = threeRecords();
    expect(r1).toMatchObject({ seq: 1, prev: GENESIS_HASH, hash: H1 });
    expect(r2).toMatchObject({ seq: 2, prev: H1, hash: H2 });
    expect(r3).toMatchObject({ seq: 3, prev: H2, hash: H3 });
  });

  it('hashes the same when the payload’s canonical text is handed in (as ingest does)', () => {
    for (const record of threeRecords())
      expect(recordHash(record, undefined, canonicalJson(record.payload))).toBe(record.hash);
    const odd = { seq: 7, kind: 'focus.lost', at: 1.5, mono: -0, payload: { app: 'Ærlig "ø"' } };
    const prev = H3;
    expect(recordHash({ ...odd, prev } as never, undefined, canonicalJson(odd.payload))).toBe(
      recordHash({ ...odd, prev } as never),
    );
  });

  it('verifies an intact chain, from the start or after a known record', () => {
    const records = threeRecords();
    expect(findChainBreak(records)).toBeNull();
    expect(findChainBreak(records.slice(1), records[0])).toBeNull();
  });

  it('finds a changed payload', () => {
    const records = threeRecords();
    records[1] = {
      ...records[1]!,
      payload: { questionId: 'q1', value: { type: 'single-choice', optionId: 'c' } },
    };
    expect(findChainBreak(records)).toEqual({ index: 1, seq: 2, reason: 'hash' });
  });

  it('finds a deleted middle record and a reordered seq', () => {
    const [r1, , r3] = threeRecords();
    expect(findChainBreak([r1!, r3!])).toEqual({ index: 1, seq: 3, reason: 'seq' });
    const forged = { ...r3!, seq: 2 };
    expect(findChainBreak([r1!, { ...forged, hash: recordHash(forged) }])).toEqual({
      index: 1,
      seq: 2,
      reason: 'prev',
    });
  });

  it('validates each record and its payload by kind', () => {
    const [r1] = threeRecords();
    expect(journalRecordSchema.safeParse(r1).success).toBe(true);
    const bad = journalRecordSchema.safeParse({ ...r1, payload: { examId: 'demo' } });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['payload', 'clientVersion']);
    expect(journalRecordSchema.safeParse({ ...r1, kind: 'made.up' }).success).toBe(false);
    expect(journalRecordSchema.safeParse({ ...r1, extra: 1 }).success).toBe(false);
  });
});
