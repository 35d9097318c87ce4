import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The Electron executable installed under `root`, or null when it is not there. Electron's
 * npm package downloads its binary lazily; it records the executable's name in path.txt and
 * keeps it in dist/. We look, never `require('electron')`, which would start a download.
 */
export function findElectronBinary(root: string): string | null {
  const packageDir = join(root, 'node_modules', 'electron');
  const pathFile = join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const relative = readFileSync(pathFile, 'utf8').trim();
  if (relative === '') return null;
  const binary = join(packageDir, 'dist', relative);
  return existsSync(binary) ? binary : null;
}

export const ELECTRON_MISSING =
  'Electron is not installed on this machine (no node_modules/electron/dist), so the client was not launched.';
