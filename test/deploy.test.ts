import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

const root = new URL('..', import.meta.url).pathname;
const ANALYZE = '/usr/bin/systemd-analyze';

const analyzeMissing = !existsSync(ANALYZE);
if (analyzeMissing)
  console.warn(`SKIPPED checking the systemd unit: ${ANALYZE} not found (it comes with systemd).`);

/**
 * The systemd unit IT installs: systemd's own checker finds nothing to say about it (unknown
 * keys and bad values are only warnings there, so any output fails the test). Paths are
 * pointed at this checkout, which is all that differs from an install in /opt/vakt.
 */
describe.skipIf(analyzeMissing)('the shipped systemd unit', () => {
  it('passes systemd-analyze verify without a word', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vakt-unit-'));
    try {
      const unit = (await readFile(join(root, 'deploy/systemd/vakt-server.service'), 'utf8'))
        .replace('/usr/bin/node /opt/vakt/', `${process.execPath} ${root}`)
        .replace('WorkingDirectory=/opt/vakt', `WorkingDirectory=${root}`);
      const file = join(dir, 'vakt-server.service');
      await writeFile(file, unit);
      const run = await new Promise<{ code: number; output: string }>((resolve) =>
        execFile(ANALYZE, ['verify', file], (error, stdout, stderr) =>
          resolve({ code: error ? Number(error.code ?? 1) : 0, output: stdout + stderr }),
        ),
      );
      expect(run).toEqual({ code: 0, output: '' });
      // The hardening is there (a unit without it also verifies).
      for (const key of ['NoNewPrivileges=yes', 'ProtectSystem=strict', 'CapabilityBoundingSet='])
        expect(unit).toContain(key);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
