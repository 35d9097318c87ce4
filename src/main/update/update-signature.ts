import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';

import { ed25519 } from '@noble/curves/ed25519.js';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';

/**
 * Detached signatures for update files (docs/it.md "Signed updates"). electron-updater trusts
 * an AppImage by the sha512 in latest-linux.yml, which comes from the same feed: whoever can
 * write the feed or control the server could ship code. An update is installed only when
 * `<file>.sig` beside it on the feed is an Ed25519 signature, by a key pinned in the managed
 * settings (`UpdatePublicKeys`), over the file's name, version and SHA-512. The release key
 * is kept where releases are built, never on the exam server.
 */
const CONTEXT = 'vakt-update-v1';

/** What is signed: a file by name, version and content, so none can stand in for another. */
export function updateStatement(fileName: string, version: string, sha512Hex: string): string {
  return `${CONTEXT}\n${fileName}\n${version}\n${sha512Hex}`;
}

/** The SHA-512 of a file, read as a stream: an AppImage is 100 MB and more. */
export async function sha512OfFile(path: string): Promise<string> {
  const hash = createHash('sha512');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The signature (hex) for `path` as update `version`, by the release key `secretKeyHex`. */
export async function signUpdateFile(
  path: string,
  version: string,
  secretKeyHex: string,
): Promise<string> {
  const statement = updateStatement(basename(path), version, await sha512OfFile(path));
  return bytesToHex(ed25519.sign(utf8ToBytes(statement), hexToBytes(secretKeyHex)));
}

/** Whether `signatureHex` signs `path` as update `version` by one of `publicKeysHex`. */
export async function verifyUpdateFile(
  path: string,
  version: string,
  signatureHex: string,
  publicKeysHex: readonly string[],
): Promise<boolean> {
  if (!/^[0-9a-f]{128}$/.test(signatureHex)) return false;
  const statement = utf8ToBytes(updateStatement(basename(path), version, await sha512OfFile(path)));
  return publicKeysHex.some((key) => {
    try {
      return ed25519.verify(hexToBytes(signatureHex), statement, hexToBytes(key));
    } catch {
      return false;
    }
  });
}

/** A download verified, or why not and whether the same version is worth another try. */
export type UpdateVerdict = { ok: true } | { ok: false; reason: string; retry: boolean };

/**
 * Every downloaded file of update `version` verified against the pinned keys, each with the
 * signature the feed holds beside it (`fetchSignature(fileName)`). One missing or wrong
 * signature refuses the update; the reason is returned for the log. A signature that could not
 * be fetched may come later; a wrong one refuses that version for good.
 */
export async function verifyDownloads(
  files: readonly string[],
  version: string,
  publicKeysHex: readonly string[],
  fetchSignature: (fileName: string) => Promise<string>,
): Promise<UpdateVerdict> {
  if (files.length === 0) return { ok: false, reason: 'no file was downloaded', retry: true };
  for (const file of files) {
    const name = basename(file);
    let signature: string;
    try {
      signature = (await fetchSignature(name)).trim();
    } catch (error) {
      // The feed may not have the signatures yet (IT copies installers first): try again later.
      return {
        ok: false,
        reason: `${name}.sig could not be fetched (${String(error)})`,
        retry: true,
      };
    }
    if (!(await verifyUpdateFile(file, version, signature, publicKeysHex)))
      return { ok: false, reason: `${name} is not signed by a pinned update key`, retry: false };
  }
  return { ok: true };
}

/** A signature is 128 hex characters; anything much longer is not one. */
const MAX_SIGNATURE_BYTES = 1_024;

/** Fetches `<file>.sig` from the update feed with `fetchFn` (Electron's net.fetch in the app). */
export function signatureFetcher(
  feedUrl: string,
  fetchFn: (url: string) => Promise<Response>,
): (fileName: string) => Promise<string> {
  const base = feedUrl.endsWith('/') ? feedUrl : `${feedUrl}/`;
  return async (fileName) => {
    const response = await fetchFn(new URL(`${encodeURIComponent(fileName)}.sig`, base).href);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const text = await response.text();
    if (text.length > MAX_SIGNATURE_BYTES) throw new Error('not a signature');
    return text;
  };
}
