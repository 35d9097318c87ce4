import { copyFile, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

import { build } from 'esbuild';

/**
 * The exam server as plain JavaScript (dist/server/), so `vakt-server` starts without a
 * TypeScript loader: the CLI (which also serves) and the hand-in worker, bundled as ESM with
 * their packages left to node_modules (a server is installed with `npm ci --omit=dev`); the
 * checkpoint worker is plain JavaScript already and is copied beside them.
 */
const root = new URL('..', import.meta.url).pathname;
const out = join(root, 'dist/server');
await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });
await build({
  entryPoints: {
    cli: join(root, 'src/server/cli/cli.ts'),
    'hand-in-worker': join(root, 'src/server/hand-in/worker.ts'),
  },
  outdir: out,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  packages: 'external',
  platform: 'node',
  format: 'esm',
  target: 'node22',
  sourcemap: 'linked',
  logLevel: 'warning',
});
await copyFile(
  join(root, 'src/server/db/checkpoint-worker.mjs'),
  join(out, 'checkpoint-worker.mjs'),
);
console.log(`server built: ${out}`);
