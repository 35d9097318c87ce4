import { mkdtemp, rm, writeFile, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ed25519 } from '@noble/curves/ed25519.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { signUpdateFile, verifyDownloads, verifyUpdateFile } from './update-signature';

const keyPair = () => {
  const secret = ed25519.utils.randomSecretKey();
  return { secret: bytesToHex(secret), public: bytesToHex(ed25519.getPublicKey(secret)) };
};

describe('signed updates', () => {
  let dir: string;
  const release = keyPair();
  const other = keyPair();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vakt-update-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('verifies a file signed by a pinned key, and nothing changed, renamed or re-versioned', async () => {
    const file = join(dir, 'Vakt-0.3.0.AppImage');
    await writeFile(file, Buffer.alloc(3_000_000, 7));
    const signature = await signUpdateFile(file, '0.3.0', release.secret);
    expect(await verifyUpdateFile(file, '0.3.0', signature, [other.public, release.public])).toBe(
      true,
    );
    // Signed by a key that is not pinned (the server's, say).
    const byOther = await signUpdateFile(file, '0.3.0', other.secret);
    expect(await verifyUpdateFile(file, '0.3.0', byOther, [release.public])).toBe(false);
    // An old signed build offered as a new version, or under another name.
    expect(await verifyUpdateFile(file, '0.3.1', signature, [release.public])).toBe(false);
    const renamed = join(dir, 'Vakt-0.3.1.AppImage');
    await writeFile(renamed, Buffer.alloc(3_000_000, 7));
    expect(await verifyUpdateFile(renamed, '0.3.0', signature, [release.public])).toBe(false);
    // One byte appended, and signatures that are no signatures.
    await appendFile(file, '\0');
    expect(await verifyUpdateFile(file, '0.3.0', signature, [release.public])).toBe(false);
    for (const junk of ['', 'zz', signature.toUpperCase(), `${signature}00`])
      expect(await verifyUpdateFile(renamed, '0.3.0', junk, [release.public])).toBe(false);
  });

  it('refuses a download when any signature is missing or wrong, saying which', async () => {
    const file = join(dir, 'Vakt Setup 0.4.0.exe');
    await writeFile(file, 'installer');
    const signature = await signUpdateFile(file, '0.4.0', release.secret);
    const feed = new Map([['Vakt Setup 0.4.0.exe', `${signature}\n`]]);
    const fetchSignature = (name: string) => {
      const found = feed.get(name);
      return found ? Promise.resolve(found) : Promise.reject(new Error('404'));
    };
    expect(await verifyDownloads([file], '0.4.0', [release.public], fetchSignature)).toEqual({
      ok: true,
    });
    expect(await verifyDownloads([], '0.4.0', [release.public], fetchSignature)).toEqual({
      ok: false,
      reason: 'no file was downloaded',
      retry: true,
    });
    const unsigned = join(dir, 'Vakt-0.4.0.AppImage');
    await writeFile(unsigned, 'appimage');
    expect(
      await verifyDownloads([file, unsigned], '0.4.0', [release.public], fetchSignature),
    ).toEqual({
      ok: false,
      reason: 'Vakt-0.4.0.AppImage.sig could not be fetched (Error: 404)',
      retry: true,
    });
    feed.set('Vakt-0.4.0.AppImage', signature);
    expect(await verifyDownloads([unsigned], '0.4.0', [release.public], fetchSignature)).toEqual({
      ok: false,
      reason: 'Vakt-0.4.0.AppImage is not signed by a pinned update key',
      retry: false,
    });
  });
});
