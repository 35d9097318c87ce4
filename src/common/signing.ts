import { ed25519 } from '@noble/curves/ed25519.js';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';

import { canonicalJson } from './canonical-json';

/**
 * Ed25519 signatures over the RFC 8785 canonical JSON of a value, hex encoded. The exam
 * package is signed this way; the client verifies it against the pinned server key.
 */
export function signCanonical(value: unknown, secretKeyHex: string): string {
  return bytesToHex(ed25519.sign(utf8ToBytes(canonicalJson(value)), hexToBytes(secretKeyHex)));
}

export function verifyCanonical(
  value: unknown,
  signatureHex: string,
  publicKeyHex: string,
): boolean {
  try {
    return ed25519.verify(
      hexToBytes(signatureHex),
      utf8ToBytes(canonicalJson(value)),
      hexToBytes(publicKeyHex),
    );
  } catch {
    // Malformed hex, a key of the wrong length or a value that is not JSON: not verified.
    return false;
  }
}

export function publicKeyFor(secretKeyHex: string): string {
  return bytesToHex(ed25519.getPublicKey(hexToBytes(secretKeyHex)));
}
