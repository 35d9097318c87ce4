import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { ed25519 } from '@noble/curves/ed25519.js';
import { bytesToHex } from '@noble/hashes/utils.js';

import { publicKeyFor } from '../src/common/signing';
import { signUpdateFile } from '../src/main/update/update-signature';

/**
 * Release signing for updates (docs/it.md "Signed updates"):
 *
 *   npm run sign-update -- new-key release-key.txt
 *   npm run sign-update -- sign --key release-key.txt [--version 0.3.0] dist/Vakt-0.3.0.AppImage …
 *
 * `new-key` writes a secret key (mode 0600, never over an existing file) and prints the public
 * key for the managed setting UpdatePublicKeys. `sign` writes `<file>.sig` beside each file; copy
 * them into the feed with the installers. Keep the key where releases are built, never on the
 * exam server: a key on the server would let whoever controls the server sign.
 */
const USAGE = `usage:
  npm run sign-update -- new-key <key-file>
  npm run sign-update -- sign --key <key-file> [--version <version>] <file> …`;

export class SignUpdateError extends Error {}

export async function newKey(keyFile: string): Promise<string> {
  const secret = bytesToHex(ed25519.utils.randomSecretKey());
  try {
    await writeFile(keyFile, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST')
      throw new SignUpdateError(`${keyFile} exists already; Vakt never writes over a key`);
    throw error;
  }
  return publicKeyFor(secret);
}

async function readKey(keyFile: string): Promise<string> {
  let text: string;
  try {
    text = (await readFile(keyFile, 'utf8')).trim();
  } catch {
    throw new SignUpdateError(`cannot read the key file ${keyFile}`);
  }
  if (!/^[0-9a-f]{64}$/.test(text))
    throw new SignUpdateError(`${keyFile} is not a key from "npm run sign-update -- new-key"`);
  return text;
}

/** Writes `<file>.sig` for each file; returns the signature files written. */
export async function signFiles(keyFile: string, version: string, files: string[]) {
  if (!/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(version))
    throw new SignUpdateError(`"${version}" is not a version such as 0.3.0`);
  if (files.length === 0) throw new SignUpdateError('name at least one file to sign');
  const secret = await readKey(keyFile);
  const written: string[] = [];
  for (const file of files) {
    const signature = await signUpdateFile(file, version, secret).catch(() => {
      throw new SignUpdateError(`cannot read ${file}`);
    });
    await writeFile(`${file}.sig`, `${signature}\n`);
    written.push(`${file}.sig`);
  }
  return written;
}

async function main(args: string[]): Promise<void> {
  const [command, ...rest] = args;
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      options: { key: { type: 'string' }, version: { type: 'string' } },
    });
  } catch (error) {
    throw new SignUpdateError(`${(error as Error).message}\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (command === 'new-key' && positionals.length === 1) {
    const publicKey = await newKey(positionals[0]!);
    console.log(`secret key written to ${positionals[0]} (keep it where releases are built)`);
    console.log(`UpdatePublicKeys: ${publicKey}`);
    return;
  }
  if (command === 'sign' && values.key) {
    const packageJson = JSON.parse(
      await readFile(new URL('../package.json', import.meta.url), 'utf8'),
    ) as { version: string };
    const version = values.version ?? packageJson.version;
    for (const written of await signFiles(values.key, version, positionals))
      console.log(`signed ${version}: ${written}`);
    return;
  }
  throw new SignUpdateError(USAGE);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    if (!(error instanceof SignUpdateError)) throw error;
    console.error(`sign-update: ${error.message}`);
    process.exitCode = 2;
  });
}
