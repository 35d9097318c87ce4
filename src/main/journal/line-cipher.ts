import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * One journal line: base64(iv ‖ ciphertext ‖ tag), AES-256-GCM, with the journal id and the
 * line's purpose as associated data so lines cannot be moved between journals unnoticed.
 */
export class LineCipher {
  private readonly aad: Buffer;

  constructor(
    private readonly key: Uint8Array,
    context: string,
  ) {
    this.aad = Buffer.from(context, 'utf8');
  }

  seal(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(this.aad);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64');
  }

  /** The plaintext, or null when the line was altered or sealed with another key. */
  open(line: string): string | null {
    const bytes = Buffer.from(line, 'base64');
    // Anything but our own sealing fails the GCM tag below, so no stricter base64 check is needed.
    if (bytes.length < 28) return null;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, bytes.subarray(0, 12));
      decipher.setAAD(this.aad);
      decipher.setAuthTag(bytes.subarray(bytes.length - 16));
      return Buffer.concat([
        decipher.update(bytes.subarray(12, bytes.length - 16)),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      return null;
    }
  }
}
