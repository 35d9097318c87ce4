import { ed25519 } from '@noble/curves/ed25519.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';

import { publicKeyFor, signCanonical, verifyCanonical } from './signing';

describe('signatures over canonical JSON', () => {
  const secret = bytesToHex(ed25519.utils.randomSecretKey());
  const publicKey = publicKeyFor(secret);
  const examPackage = {
    examCode: 'DEMO-1',
    policy: { spellcheck: false },
    content: { title: 'Demo' },
  };

  it('verifies with the matching public key, whatever the member order', () => {
    const signature = signCanonical(examPackage, secret);
    const reordered = {
      content: { title: 'Demo' },
      policy: { spellcheck: false },
      examCode: 'DEMO-1',
    };
    expect(verifyCanonical(reordered, signature, publicKey)).toBe(true);
  });

  it('fails after any change to the value, the signature or the key', () => {
    const signature = signCanonical(examPackage, secret);
    expect(verifyCanonical({ ...examPackage, examCode: 'DEMO-2' }, signature, publicKey)).toBe(
      false,
    );
    const flipped = (signature[0] === 'a' ? 'b' : 'a') + signature.slice(1);
    expect(verifyCanonical(examPackage, flipped, publicKey)).toBe(false);
    const otherKey = publicKeyFor(bytesToHex(ed25519.utils.randomSecretKey()));
    expect(verifyCanonical(examPackage, signature, otherKey)).toBe(false);
  });

  it('answers false, not a throw, for malformed input', () => {
    expect(verifyCanonical(examPackage, 'zz', publicKey)).toBe(false);
    expect(verifyCanonical(examPackage, signCanonical(examPackage, secret), 'abc')).toBe(false);
    expect(verifyCanonical({ n: Number.NaN }, '00'.repeat(64), publicKey)).toBe(false);
  });
});
