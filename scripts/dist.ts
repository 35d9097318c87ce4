import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { Configuration } from 'app-builder-lib';

import { clientModuleClosure } from './client-modules';
import { findElectronBinary } from './electron-binary';

/**
 * Packs the client with electron-builder (electron-builder.yml), packing from node_modules only
 * what the client's main process loads at run time (`clientModuleClosure`): the exam server's
 * Fastify, pg, better-sqlite3 and Kysely never reach a student's laptop. `npm run dist` runs
 * this; without the Electron binary it stops with one line instead of a download stack trace.
 */
const root = fileURLToPath(new URL('..', import.meta.url));

/** electron-builder's `files`: the built app, and node_modules limited to the client's. */
export function clientFiles(projectRoot = root): string[] {
  const lock = JSON.parse(readFileSync(join(projectRoot, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, object>;
  };
  const top = [
    ...new Set(
      clientModuleClosure(lock).map(
        (path) => path.replace(/^node_modules\//, '').split('/node_modules/')[0]!,
      ),
    ),
  ].sort();
  // Later patterns win: the source maps go last so no module brings its own back.
  return [
    'out/**/*',
    'package.json',
    '!node_modules/**/*',
    `node_modules/{${top.join(',')}}/**/*`,
    '!**/*.map',
    '!node_modules/**/*.map',
  ];
}

export interface PackOptions {
  /** electron-builder targets per platform, e.g. `{ linux: ['dir'] }`. */
  targets: { linux?: string[]; win?: string[]; mac?: string[] };
  /** Overrides of electron-builder.yml (a stand-in Electron, an output folder). */
  config?: Configuration;
}

/** Packs with electron-builder.yml plus the client's files; returns what it wrote. */
export async function packClient(options: PackOptions): Promise<string[]> {
  const { build } = await import('electron-builder');
  return build({
    projectDir: root,
    ...options.targets,
    publish: 'never',
    config: {
      extends: null,
      ...options.config,
      files: clientFiles(),
    },
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (!findElectronBinary(root)) {
    console.error(
      'npm run dist needs the Electron binary (node_modules/electron/dist), which is not installed here: run "npx electron --version" once where github.com is reachable, then try again.',
    );
    process.exit(1);
  }
  // npm run dist -- [linux|win|mac] [target ...]: the MSI is packed in a run of its own with
  // publishing off, so an MSI install never updates itself from the NSIS feed.
  const [given, ...targets] = process.argv.slice(2);
  const current =
    process.platform === 'win32' ? 'win' : process.platform === 'darwin' ? 'mac' : 'linux';
  const platform = (given ?? current) as 'linux' | 'win' | 'mac';
  const msi = targets.includes('msi');
  if (msi && targets.length > 1) {
    console.error('Pack the MSI on its own: npm run dist -- win msi');
    process.exit(1);
  }
  const files = await packClient({
    targets: { [platform]: targets },
    ...(msi ? { config: { publish: null } } : {}),
  });
  for (const file of files) console.log(`wrote ${file}`);
}
