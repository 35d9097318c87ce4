import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Vakt's folder (where package.json says "vakt"), found from this module whether it runs from
 * the sources (src/server/…) or from the built server (dist/server/cli.mjs): assets and the
 * built dashboard are found from it, not from a path relative to one file.
 */
export function packageRoot(from: string = import.meta.url): string {
  let dir = dirname(fileURLToPath(from));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && isVakt(manifest)) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`Vakt's package.json was not found above ${from}`);
    dir = parent;
  }
}

function isVakt(manifest: string): boolean {
  try {
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'vakt';
  } catch {
    return false;
  }
}
