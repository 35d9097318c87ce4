import { spawn, type ChildProcess } from 'node:child_process';
import { copyFile, link, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { ExecutableFingerprints } from '../../src/main/monitor/fingerprints';
import { ProcSource } from '../../src/main/monitor/proc-source';

/**
 * Renamed copies of a catalogue program, as a candidate would make them (issue: `cp x11vnc
 * /tmp/notes-app`, a hard link, `exec -a firefox`), as real processes read from /proc. The
 * "installed" program is a copy of `sleep` in a folder of its own, so nothing real is run.
 */
const SLEEP = '/usr/bin/sleep';
const CAT = '/usr/bin/cat';

describe.runIf(process.platform === 'linux')('recognising renamed catalogue programs', () => {
  let dir: string;
  let installed: string;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vakt-fingerprints-'));
    installed = join(dir, 'bin');
    await mkdir(installed);
    await copyFile(SLEEP, join(installed, 'x11vnc'));
  });

  afterEach(async () => {
    for (const child of children.splice(0)) {
      child.kill('SIGKILL');
      if (child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve));
    }
  });

  afterAll(() => rm(dir, { recursive: true, force: true }));

  async function start(path: string, argv0?: string): Promise<number> {
    const child = spawn(path, ['4242'], { stdio: 'ignore', ...(argv0 ? { argv0 } : {}) });
    children.push(child);
    await new Promise((resolve) => child.once('spawn', resolve));
    return child.pid!;
  }

  async function nameOf(source: ProcSource, pid: number): Promise<string | undefined> {
    return (await source.list()).find((running) => running.pid === pid)?.name;
  }

  it('names a renamed copy, a hard link and a copy started as "firefox" as the program', async () => {
    const copy = join(dir, 'notes-app');
    await copyFile(join(installed, 'x11vnc'), copy);
    const hardLink = join(dir, 'calculator');
    await link(join(installed, 'x11vnc'), hardLink);
    const source = new ProcSource('/proc', new ExecutableFingerprints(['x11vnc'], [installed]));

    expect(await nameOf(source, await start(copy))).toBe('x11vnc');
    expect(await nameOf(source, await start(hardLink))).toBe('x11vnc');
    expect(await nameOf(source, await start(copy, 'firefox'))).toBe('x11vnc');
  });

  it('leaves other programs their own names, and works without fingerprints', async () => {
    const other = join(dir, 'editor');
    await copyFile(CAT, other);
    const withPrints = new ProcSource('/proc', new ExecutableFingerprints(['x11vnc'], [installed]));
    const child = spawn(other, [], { stdio: ['pipe', 'ignore', 'ignore'] });
    children.push(child);
    await new Promise((resolve) => child.once('spawn', resolve));
    expect(await nameOf(withPrints, child.pid!)).toBe('editor');

    const copy = join(dir, 'notes-app-2');
    await copyFile(join(installed, 'x11vnc'), copy);
    expect(await nameOf(new ProcSource('/proc'), await start(copy))).toBe('notes-app-2');
  });
});
