import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { ELECTRON_MISSING, findElectronBinary } from '../scripts/electron-binary';

import { freePort } from './support/net';

const root = new URL('..', import.meta.url).pathname;

const electronInstalled = findElectronBinary(root) !== null;
if (electronInstalled) {
  console.warn(
    'SKIPPED npm start without Electron: the Electron binary is installed here (see test/e2e).',
  );
}

describe.skipIf(electronInstalled)('npm start without the Electron binary', () => {
  let dataDir: string;
  afterAll(async () => {
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('says so in one line and keeps the exam server running with its URL', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'vakt-start-'));
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts', '--no-build'], {
      cwd: root,
      env: { ...process.env, PORT: String(port), VAKT_DATA_DIR: dataDir },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      await expect
        .poll(() => output, { timeout: 30_000, interval: 100 })
        .toContain(ELECTRON_MISSING);
      const line = output.split('\n').find((l) => l.includes(ELECTRON_MISSING)) ?? '';
      expect(line).toContain(`http://127.0.0.1:${port}`);

      const health = await fetch(`http://127.0.0.1:${port}/api/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });
      expect(output).toContain('Demo exam DEMO-1');
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    // Stopping npm start stops the server too.
    await expect(fetch(`http://127.0.0.1:${port}/api/health`)).rejects.toThrow();
  });
});
