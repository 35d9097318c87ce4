import { canonicalJson } from '../../common/canonical-json';
import type { EventPayload } from '../../common/events';
import { recordHash, type JournalRecord } from '../../common/journal-record';
import type { Refusal } from '../../common/refusals';
import { nativeSha256Hex } from '../secrets';

import type { IssuedNonce } from './nonces';

/** What verifying a batch needs to know of its journal, as the server holds it. */
export interface JournalHead {
  watermark: number;
  headHash: string;
  storedBytes: number;
  /** The highest nonce ordinal issued to the journal, and the last one it returned (0: none). */
  nonceOrdinal: number;
  returnedOrdinal: number;
  /** When the last returned nonce was issued: later records cannot be older. */
  returnedIssuedAt: number | null;
}

export interface BatchToVerify {
  records: readonly JournalRecord[];
  /** The hashes the server holds for the batch's records at or below the watermark. */
  storedHashes: ReadonlyMap<number, string>;
  /** Payload bytes one journal may store. */
  quotaBytes: number;
  /** A sync nonce's ordinal and time of issue, if this server issued it to this journal. */
  readNonce: (nonce: string) => IssuedNonce | null;
}

/** A record that continues the chain, with its stored payload and its earliest possible time. */
export interface Accepted {
  record: JournalRecord;
  /** The canonical JSON of its payload: what is hashed and stored. */
  payload: string;
  /** Issue time of the nearest nonce returned before it (null: none yet). */
  notBefore: number | null;
}

export interface Verdict {
  /** The longest prefix of the new records that continues the journal (possibly empty). */
  accepted: Accepted[];
  /** Why the rest of the batch was refused, or null when all of it was taken. */
  refusal: Refusal | null;
  /** Refused records to keep aside for an invigilator (fork, chain, nonce): never lost. */
  quarantine: { records: JournalRecord[]; reason: Refusal['code'] } | null;
  /** The journal would pass its quota: refused before anything is stored. */
  overQuota: boolean;
  /** The last nonce returned, after the accepted records. */
  returned: { ordinal: number; issuedAt: number | null };
}

/**
 * Verifies one upload batch against its journal (DESIGN.md "Sync protocol"), with no I/O:
 * records at or below the watermark are idempotent retries (same hash) or a fork; the first
 * new record must be watermark + 1 (else gap); the journal's quota; then each new record must
 * chain and hash, and each returned nonce come back in the order issued. What follows a fork,
 * a broken chain or a bad nonce is to be quarantined.
 */
export function verifyBatch(journal: JournalHead, batch: BatchToVerify): Verdict {
  const { records } = batch;
  const verdict = (parts: Partial<Verdict>): Verdict => ({
    accepted: [],
    refusal: null,
    quarantine: null,
    overQuota: false,
    returned: { ordinal: journal.returnedOrdinal, issuedAt: journal.returnedIssuedAt },
    ...parts,
  });

  // 1. Records the server already has: an idempotent retry, or a fork.
  const forked = records.findIndex(
    (r) => r.seq <= journal.watermark && batch.storedHashes.get(r.seq) !== r.hash,
  );
  if (forked !== -1) {
    const seq = records[forked]!.seq;
    return verdict({
      refusal: { code: 'fork', seq, message: `Record ${seq} differs from the one already stored.` },
      quarantine: { records: records.slice(forked), reason: 'fork' },
    });
  }
  const fresh = records.filter((r) => r.seq > journal.watermark);
  if (fresh.length > 0 && fresh[0]!.seq !== journal.watermark + 1) {
    const expectedSeq = journal.watermark + 1;
    return verdict({
      refusal: {
        code: 'gap',
        expectedSeq,
        message: `The server needs record ${expectedSeq} next.`,
      },
    });
  }

  // 2. The journal's quota, before anything is stored: the client keeps what is refused.
  const payloads = fresh.map((record) => canonicalJson(record.payload));
  const bytes = payloads.reduce((sum, text) => sum + text.length, 0);
  if (journal.storedBytes + bytes > batch.quotaBytes) {
    return verdict({
      overQuota: true,
      refusal: {
        code: 'quota',
        limitBytes: batch.quotaBytes,
        message: 'This journal holds more than the server keeps for one exam.',
      },
    });
  }

  // 3. New records: chain, hash and nonce order, up to the first that fails.
  let returned = { ordinal: journal.returnedOrdinal, issuedAt: journal.returnedIssuedAt };
  let expectedPrev = journal.headHash;
  const accepted: Accepted[] = [];
  for (const [index, record] of fresh.entries()) {
    const payload = payloads[index]!;
    const failure = chainFailure(record, journal.watermark + 1 + index, expectedPrev, payload);
    if (failure) return refusedFrom(failure, 'chain');
    if (record.kind === 'sync.nonce') {
      const issued = batch.readNonce((record.payload as EventPayload<'sync.nonce'>).nonce);
      if (!issued || issued.ordinal <= returned.ordinal || issued.ordinal > journal.nonceOrdinal) {
        return refusedFrom(
          {
            code: 'nonce',
            message: `Record ${record.seq} returns a nonce out of the order issued.`,
          },
          'nonce',
        );
      }
      returned = { ordinal: issued.ordinal, issuedAt: issued.issuedAt };
    }
    accepted.push({ record, payload, notBefore: returned.issuedAt });
    expectedPrev = record.hash;
  }
  return verdict({ accepted, returned });

  /** The accepted prefix is stored; the record that failed and all after it are set aside. */
  function refusedFrom(refusal: Refusal, reason: 'chain' | 'nonce'): Verdict {
    return verdict({
      accepted,
      refusal,
      quarantine: { records: fresh.slice(accepted.length), reason },
      returned,
    });
  }
}

function chainFailure(
  record: JournalRecord,
  expectedSeq: number,
  expectedPrev: string,
  payload: string,
): Refusal | null {
  const continues =
    record.seq === expectedSeq &&
    record.prev === expectedPrev &&
    record.hash === recordHash(record, nativeSha256Hex, payload);
  return continues
    ? null
    : {
        code: 'chain',
        seq: record.seq,
        message: `Record ${record.seq} does not continue the chain.`,
      };
}
