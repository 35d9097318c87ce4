import { copyFile, mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';

import { build } from 'esbuild';

/**
 * The exam server as plain JavaScript (dist/server/), so `vakt-server` starts without a
 * TypeScript loader: the CLI (which also serves) and the hand-in worker, bundled as ESM with
 * their packages left to node_modules (a server is installed with `npm ci --omit=dev`); the
 * checkpoint worker is plain JavaScript already and is copied beside them.
 */
const root = new URL('..', import.meta.url).pathname;
const { dependencies } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
};
const BUNDLED = new Set(['kysely']);
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
  // One chunk per dynamic import: commands other than serve do not load the web server. The
  // chunks sit beside the workers, which the code that starts them finds next to itself.
  splitting: true,
  chunkNames: '[name]-[hash]',
  // Packages stay in node_modules (a server is installed with `npm ci --omit=dev`), except
  // the pure-JavaScript ones every command loads: bundled, they load in one read instead of
  // hundreds of module files (kysely took a third of the CLI's start-up). Not zod: the Fastify
  // type provider loads its own, and two copies of zod must never meet.
  external: Object.keys(dependencies).filter((name) => !BUNDLED.has(name)),
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
