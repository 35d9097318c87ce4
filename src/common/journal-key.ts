import { ed25519 } from '@noble/curves/ed25519.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

import type { JournalRecord } from './journal-record';
import { signCanonical, verifyCanonical } from './signing';

/**
 * Each journal has an Ed25519 key pair, derived from the journal's own encryption key, so it
 * needs no storage of its own and never leaves the computer. The public half is registered
 * with the server at sign-in; a hand-in file signed by the secret half proves it comes from
 * that journal — the hand-in public key is in every exam package, so sealing alone proves
 * nothing.
 */
export interface JournalSigningKey {
  secretKey: string;
  publicKey: string;
}

export function journalSigningKey(journalKey: Uint8Array, journalId: string): JournalSigningKey {
  const seed = hkdf(
    sha256,
    journalKey,
    utf8ToBytes(journalId),
    utf8ToBytes('vakt journal signing v1'),
    32,
  );
  return { secretKey: bytesToHex(seed), publicKey: bytesToHex(ed25519.getPublicKey(seed)) };
}

/** What a hand-in signature covers: the journal and its head, which chains every record. */
export interface HandInStatement {
  examId: string;
  candidateNumber: string;
  journalId: string;
  headSeq: number;
  headHash: string;
}

export function handInStatement(content: {
  examId: string;
  candidateNumber: string;
  journalId: string;
  records: readonly JournalRecord[];
}): HandInStatement {
  const head = content.records.reduce<JournalRecord | null>(
    (best, record) => (best === null || record.seq > best.seq ? record : best),
    null,
  );
  return {
    examId: content.examId,
    candidateNumber: content.candidateNumber,
    journalId: content.journalId,
    headSeq: head?.seq ?? 0,
    headHash: head?.hash ?? '',
  };
}

export function signHandIn(statement: HandInStatement, key: JournalSigningKey): string {
  return signCanonical({ purpose: 'vakt-hand-in', ...statement }, key.secretKey);
}

export function verifyHandIn(
  statement: HandInStatement,
  signature: string,
  publicKey: string,
): boolean {
  return verifyCanonical({ purpose: 'vakt-hand-in', ...statement }, signature, publicKey);
}
