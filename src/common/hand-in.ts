import { gcm } from '@noble/ciphers/aes.js';
import { x25519 } from '@noble/curves/ed25519.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import {
  bytesToHex,
  concatBytes,
  hexToBytes,
  randomBytes,
  utf8ToBytes,
} from '@noble/hashes/utils.js';
import { z } from 'zod';

import { canonicalJson } from './canonical-json';
import { journalIdSchema } from './ids';
import { journalRecordSchema, type JournalRecord } from './journal-record';

/**
 * The offline hand-in file: a journal sealed to the server's X25519 key from the exam package
 * (ephemeral X25519, HKDF-SHA256, AES-256-GCM). Only the server can open it; any change to a
 * byte makes opening fail.
 */
const INFO = utf8ToBytes('vakt hand-in v1');

export const handInFileSchema = z.strictObject({
  format: z.literal('vakt-hand-in'),
  version: z.literal(1),
  ephemeralPublicKey: z.string().regex(/^[0-9a-f]{64}$/),
  nonce: z.string().regex(/^[0-9a-f]{24}$/),
  ciphertext: z
    .string()
    .regex(/^[0-9a-f]+$/)
    .max(200 * 1024 * 1024),
});
export type HandInFile = z.infer<typeof handInFileSchema>;

/** The most records one hand-in file may carry: far more than any exam writes. */
export const MAX_HAND_IN_RECORDS = 100_000;

export const handInContentSchema = z.strictObject({
  examId: z.string().min(1).max(100),
  candidateNumber: z.string().min(1).max(32),
  journalId: journalIdSchema,
  records: z.array(journalRecordSchema).min(1).max(MAX_HAND_IN_RECORDS),
  /** By the journal's own key over its head (journal-key.ts); files without one are held. */
  signature: z
    .string()
    .regex(/^[0-9a-f]{128}$/)
    .optional(),
});
export interface HandInContent {
  examId: string;
  candidateNumber: string;
  journalId: string;
  records: JournalRecord[];
  signature?: string;
}

function keyFor(
  shared: Uint8Array,
  ephemeralPublic: Uint8Array,
  serverPublic: Uint8Array,
): Uint8Array {
  return hkdf(sha256, shared, concatBytes(ephemeralPublic, serverPublic), INFO, 32);
}

export function sealHandIn(content: HandInContent, serverPublicKeyHex: string): HandInFile {
  const serverPublic = hexToBytes(serverPublicKeyHex);
  const ephemeral = x25519.keygen();
  const key = keyFor(
    x25519.getSharedSecret(ephemeral.secretKey, serverPublic),
    ephemeral.publicKey,
    serverPublic,
  );
  const nonce = randomBytes(12);
  const ciphertext = gcm(key, nonce, ephemeral.publicKey).encrypt(
    utf8ToBytes(canonicalJson(content)),
  );
  return {
    format: 'vakt-hand-in',
    version: 1,
    ephemeralPublicKey: bytesToHex(ephemeral.publicKey),
    nonce: bytesToHex(nonce),
    ciphertext: bytesToHex(ciphertext),
  };
}

export class HandInError extends Error {
  override name = 'HandInError';
}

/** Opens a hand-in file with the server's secret key; throws HandInError saying why not. */
export function openHandIn(file: unknown, serverSecretKeyHex: string): HandInContent {
  const parsed = handInFileSchema.safeParse(file);
  if (!parsed.success) throw new HandInError('This is not a Vakt hand-in file.');
  const secret = hexToBytes(serverSecretKeyHex);
  const ephemeralPublic = hexToBytes(parsed.data.ephemeralPublicKey);
  let plaintext: Uint8Array;
  try {
    const key = keyFor(
      x25519.getSharedSecret(secret, ephemeralPublic),
      ephemeralPublic,
      x25519.getPublicKey(secret),
    );
    plaintext = gcm(key, hexToBytes(parsed.data.nonce), ephemeralPublic).decrypt(
      hexToBytes(parsed.data.ciphertext),
    );
  } catch {
    throw new HandInError(
      'The hand-in file is damaged or was sealed for another server: it cannot be opened.',
    );
  }
  // Anyone can seal to the public key, so what opens may still be anything.
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(plaintext));
  } catch {
    json = null;
  }
  const content = handInContentSchema.safeParse(json);
  if (!content.success)
    throw new HandInError('The hand-in file opened, but its journal is not valid.');
  return content.data;
}
