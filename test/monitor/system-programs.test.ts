import { chmod, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { managedSourceFor } from '../../src/main/managed/for-this-os';
import { execRunner, vmEvidenceFor } from '../../src/main/monitor/vm';
import { WindowsVmEvidence } from '../../src/main/monitor/vm/windows';
import { runSystemProgram, SYSTEM_PROGRAMS } from '../../src/main/system-programs';

/**
 * The programs the client runs are its own choice, not the candidate's: a fake one earlier on
 * PATH is never run, each is called by its full path, with a clean environment and a fixed
 * working folder (on Windows the working folder would be searched first).
 */
describe('the programs the client runs', () => {
  let dir: string;
  const marker = () => join(dir, 'ran');
  const savedPath = process.env.PATH;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vakt-fake-programs-'));
    // A fake that says "not a VM" and leaves a mark, where a bare name would find it first.
    for (const name of ['systemd-detect-virt', 'reg', 'powershell.exe']) {
      const fake = join(dir, name);
      await writeFile(fake, `#!/bin/sh\ntouch '${marker()}'\necho none\n`);
      await chmod(fake, 0o755);
    }
    process.env.PATH = `${dir}:${savedPath}`;
  });
  afterAll(async () => {
    process.env.PATH = savedPath;
    await rm(dir, { recursive: true, force: true });
  });

  it('never runs a fake systemd-detect-virt found earlier on PATH', async () => {
    await vmEvidenceFor('linux', () => Promise.resolve([]), execRunner).findings();
    expect(await stat(marker()).catch(() => null)).toBeNull();
  });

  it('passes a clean environment and a fixed working folder', async () => {
    const env = await runSystemProgram('/usr/bin/env', []);
    expect(env.stdout.trim().split('\n')).toEqual(['LC_ALL=C']);
    expect((await runSystemProgram('/bin/pwd', [])).stdout.trim()).toBe('/');
  });

  it('asks Windows by the full paths of reg.exe and PowerShell', async () => {
    const asked: string[] = [];
    const source = managedSourceFor('win32', (file) => {
      asked.push(file);
      return Promise.resolve({ code: 1, stdout: '', stderr: 'not found' });
    });
    await source.read().catch(() => undefined);
    await new WindowsVmEvidence(
      (file) => {
        asked.push(file);
        return Promise.resolve(null);
      },
      () => Promise.resolve([]),
    ).findings();
    expect(asked.length).toBeGreaterThan(1);
    expect(new Set(asked)).toEqual(new Set([SYSTEM_PROGRAMS.reg, SYSTEM_PROGRAMS.powershell]));
    for (const file of asked) expect(file).toMatch(/^C:\\Windows\\System32\\/);
  });
});
