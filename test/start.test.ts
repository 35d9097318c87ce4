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

  it('says so in one line, keeps the server running and serves the candidate UI preview', async () => {
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

      // The preview: its address carries the run's token; the page says it is a preview.
      await expect
        .poll(() => output, { timeout: 30_000, interval: 100 })
        .toMatch(/Preview of the candidate UI .*http:\/\/127\.0\.0\.1:\d+\/#token=[0-9a-f]{48}/);
      const previewUrl = /(http:\/\/127\.0\.0\.1:\d+)\/#token=([0-9a-f]{48})/.exec(output)!;
      const page = await fetch(`${previewUrl[1]}/`);
      expect(await page.text()).toContain('/__vakt/bridge.js');
      // Without the token, calls are refused; with it, they reach the client services.
      const call = (token: string) =>
        fetch(`${previewUrl[1]}/__vakt/call/getState`, {
          method: 'POST',
          headers: { origin: previewUrl[1]!, 'x-vakt-preview-token': token },
          body: '{}',
        });
      expect((await call('0'.repeat(48))).status).toBe(403);
      expect(await (await call(previewUrl[2]!)).json()).toMatchObject({
        ok: true,
        value: { phase: 'signed-out' },
      });
      // The first start says how to make the first staff account.
      expect(output).toContain('npx vakt-server create-user --email');

      // A second start on the same port: one line naming the port and PORT=, and no dead link.
      const second = spawn(
        process.execPath,
        ['--import', 'tsx', 'scripts/start.ts', '--no-build'],
        {
          cwd: root,
          env: { ...process.env, PORT: String(port), VAKT_DATA_DIR: dataDir },
        },
      );
      let said = '';
      second.stdout.on('data', (chunk: Buffer) => (said += chunk.toString()));
      second.stderr.on('data', (chunk: Buffer) => (said += chunk.toString()));
      const code = await new Promise((resolve) => second.once('exit', resolve));
      expect(code).toBe(1);
      expect(said.trim().split('\n')).toEqual([
        `npm start failed: port ${port} on 127.0.0.1 is taken by another program (another npm start?). Stop it, or start on another port: PORT=${port + 1} npm start`,
      ]);
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    // Stopping npm start stops the server too.
    await expect(fetch(`http://127.0.0.1:${port}/api/health`)).rejects.toThrow();
  });
});
