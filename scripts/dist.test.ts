import { execFile } from 'node:child_process';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { clientFiles } from './dist';
import { findElectronBinary } from './electron-binary';

const root = new URL('..', import.meta.url).pathname;

describe('npm run dist', () => {
  it.skipIf(findElectronBinary(root) !== null)(
    'stops with one clear line where the Electron binary is missing',
    async () => {
      const run = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        execFile(
          process.execPath,
          ['--import', 'tsx', join(root, 'scripts/dist.ts')],
          { cwd: root },
          (error, stdout, stderr) =>
            resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
        );
      });
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr.trim().split('\n')).toEqual([
        expect.stringMatching(/^npm run dist needs the Electron binary/) as string,
      ]);
    },
  );

  it('packs node_modules only for what the client loads, and never a source map', () => {
    const files = clientFiles(root);
    const modules = files.find((pattern) => pattern.startsWith('node_modules/{'))!;
    for (const client of ['electron-store', 'electron-updater', 'get-windows', 'ps-list'])
      expect(modules).toMatch(new RegExp(`[{,]${client}[,}]`));
    expect(modules).not.toMatch(/[{,](fastify|pg|better-sqlite3|kysely|axios|zod)[,}]/);
    expect(files.at(-1)).toBe('!node_modules/**/*.map');
  });
});
