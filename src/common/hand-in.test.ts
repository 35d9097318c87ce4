import { x25519 } from '@noble/curves/ed25519.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';

import { HandInError, openHandIn, sealHandIn, type HandInContent } from './hand-in';
import { chainRecord } from './journal-record';

describe('offline hand-in file', () => {
  const server = x25519.keygen();
  const content: HandInContent = {
    examId: 'exam-1',
    candidateNumber: '1001',
    journalId: '0b6f3b7e-2f6a-4c47-9a8e-6f1f8f5b2a10',
    records: [
      chainRecord(null, { kind: 'focus.regained', at: 1, mono: 1, payload: { durationMs: 5 } }),
    ],
  };

  it('opens with the server key to exactly what was sealed', () => {
    const file = sealHandIn(content, bytesToHex(server.publicKey));
    expect(openHandIn(JSON.parse(JSON.stringify(file)), bytesToHex(server.secretKey))).toEqual(
      content,
    );
    expect(file.ciphertext).not.toContain(Buffer.from('focus.regained').toString('hex'));
  });

  it('refuses another server key, any changed byte, and a file of another kind', () => {
    const file = sealHandIn(content, bytesToHex(server.publicKey));
    const other = bytesToHex(x25519.keygen().secretKey);
    expect(() => openHandIn(file, other)).toThrow(HandInError);
    const last = file.ciphertext.at(-1) === '0' ? '1' : '0';
    expect(() =>
      openHandIn(
        { ...file, ciphertext: file.ciphertext.slice(0, -1) + last },
        bytesToHex(server.secretKey),
      ),
    ).toThrow('damaged');
    expect(() =>
      openHandIn({ ...file, nonce: '0'.repeat(24) }, bytesToHex(server.secretKey)),
    ).toThrow(HandInError);
    expect(() => openHandIn({ hello: 1 }, bytesToHex(server.secretKey))).toThrow(
      'not a Vakt hand-in file',
    );
  });
});

describe('a hand-in file sealed by someone else', () => {
  it('is refused with a clear error when what opens is not a journal', async () => {
    const { gcm } = await import('@noble/ciphers/aes.js');
    const { hkdf } = await import('@noble/hashes/hkdf.js');
    const { sha256 } = await import('@noble/hashes/sha2.js');
    const { concatBytes, utf8ToBytes } = await import('@noble/hashes/utils.js');
    const server = x25519.keygen();
    const ephemeral = x25519.keygen();
    const key = hkdf(
      sha256,
      x25519.getSharedSecret(ephemeral.secretKey, server.publicKey),
      concatBytes(ephemeral.publicKey, server.publicKey),
      utf8ToBytes('vakt hand-in v1'),
      32,
    );
    const nonce = new Uint8Array(12);
    const file = {
      format: 'vakt-hand-in',
      version: 1,
      ephemeralPublicKey: bytesToHex(ephemeral.publicKey),
      nonce: bytesToHex(nonce),
      ciphertext: bytesToHex(
        gcm(key, nonce, ephemeral.publicKey).encrypt(utf8ToBytes('not json {')),
      ),
    };
    expect(() => openHandIn(file, bytesToHex(server.secretKey))).toThrow(
      'its journal is not valid',
    );
  });
});
