import { mkdir, mkdtemp, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { ProcSource, RECHECK_MS, YOUNG_MS } from './proc-source';

/**
 * The /proc source against a /proc-shaped folder a test changes between listings, with a clock
 * the test moves: what a listing shows when processes start, exec() into another program,
 * become zombies and end. Real processes are in test/monitor/processes.test.ts.
 */
let root: string;
let now: number;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'vakt-fake-proc-'));
  now = 0;
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function start(pid: number, exe: string | null, comm = 'x'): Promise<void> {
  const dir = join(root, String(pid));
  await mkdir(dir);
  if (exe !== null) await symlink(exe, join(dir, 'exe'));
  await writeFile(join(dir, 'comm'), `${comm}\n`);
  await writeFile(join(dir, 'stat'), `${pid} (${comm}) S 1 1 1 0`);
}

async function exec(pid: number, exe: string): Promise<void> {
  await unlink(join(root, String(pid), 'exe'));
  await symlink(exe, join(root, String(pid), 'exe'));
}

async function names(source: ProcSource): Promise<Record<number, string>> {
  const list = await source.list();
  return Object.fromEntries(list.map(({ pid, name }) => [pid, name]));
}

describe('the /proc source', () => {
  it('shows a new process at the next listing, and an ended one no more', async () => {
    const source = new ProcSource(root, null, () => now);
    await start(100, '/usr/bin/sleep');
    expect(await names(source)).toEqual({ 100: 'sleep' });

    await start(101, '/opt/anydesk/AnyDesk');
    await rm(join(root, '100'), { recursive: true });
    expect(await names(source)).toEqual({ 101: 'AnyDesk' });
  });

  it('names the program a known process exec()s into within a recheck period', async () => {
    const source = new ProcSource(root, null, () => now);
    await start(200, '/usr/bin/sleep');
    await start(201, '/usr/bin/cat');
    expect(await names(source)).toEqual({ 200: 'sleep', 201: 'cat' });

    await exec(200, '/usr/bin/x11vnc');
    await exec(201, '/tmp/notes-app (deleted)');
    now += RECHECK_MS;
    expect(await names(source)).toEqual({ 200: 'x11vnc', 201: 'notes-app' });
  });

  it('reads a process it may not read the executable of by its comm', async () => {
    const source = new ProcSource(root, null, () => now);
    await start(300, null, 'x11vnc');
    expect(await names(source)).toEqual({ 300: 'x11vnc' });
  });

  it('drops a process once it is a zombie', async () => {
    const source = new ProcSource(root, null, () => now);
    await start(400, '/usr/bin/x11vnc', 'x11vnc');
    expect(await names(source)).toEqual({ 400: 'x11vnc' });

    await unlink(join(root, '400', 'exe'));
    await writeFile(join(root, '400', 'stat'), '400 (x11vnc) Z 1 1 1 0');
    now += RECHECK_MS;
    expect(await names(source)).toEqual({});
  });

  it('lists /proc again when a process starts or is reaped, and only then', async () => {
    const source = new ProcSource(root, null, () => now);
    const loadavg = (tasks: number, lastPid: number) =>
      writeFile(join(root, 'loadavg'), `0.00 0.01 0.05 1/${tasks} ${lastPid}\n`);
    await loadavg(1, 600);
    await start(600, '/usr/bin/sleep');
    expect(await names(source)).toEqual({ 600: 'sleep' });

    await start(601, '/usr/bin/x11vnc');
    await loadavg(2, 601);
    now += 1;
    expect(await names(source)).toEqual({ 600: 'sleep', 601: 'x11vnc' });

    await rm(join(root, '601'), { recursive: true });
    await loadavg(1, 601);
    now += 1;
    expect(await names(source)).toEqual({ 600: 'sleep' });

    // A zombie nobody reaps changes neither figure: it goes at its next recheck.
    await unlink(join(root, '600', 'exe'));
    await writeFile(join(root, '600', 'stat'), '600 (sleep) Z 1 1 1 0');
    now += RECHECK_MS;
    expect(await names(source)).toEqual({});
  });

  it('looks at a young process at every poll, so a fork that exec()s is named at once', async () => {
    const source = new ProcSource(root, null, () => now);
    // Many old processes: one's turn comes only once per RECHECK_MS.
    for (let pid = 900; pid < 950; pid += 1) await start(pid, '/usr/bin/sleep');
    await names(source);
    now += YOUNG_MS;
    await start(800, '/bin/sh', 'sh');
    expect((await names(source))[800]).toBe('sh');
    // 50 ms later, still young, the shell has become AnyDesk.
    await exec(800, '/opt/anydesk/AnyDesk');
    now += 50;
    expect((await names(source))[800]).toBe('AnyDesk');
    // An old one that exec()s waits for its turn, within RECHECK_MS.
    await exec(900, '/opt/anydesk/AnyDesk');
    now += 50;
    expect((await names(source))[900]).toBe('sleep');
    now += RECHECK_MS;
    expect((await names(source))[900]).toBe('AnyDesk');
  });

  it('names the script an interpreter runs, again when it runs another', async () => {
    const source = new ProcSource(root, null, () => now);
    await start(500, '/usr/bin/python3', 'python3');
    await writeFile(join(root, '500', 'cmdline'), 'python3\0-u\0/usr/bin/kazam\0');
    expect(await names(source)).toEqual({ 500: 'kazam' });

    await writeFile(join(root, '500', 'cmdline'), 'python3\0/usr/bin/orca\0');
    now += RECHECK_MS;
    expect(await names(source)).toEqual({ 500: 'orca' });
  });

  it('names the program the loader runs, and the script past options that take a value', async () => {
    const source = new ProcSource(root, null, () => now);
    await start(700, '/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2', 'ld-linux-x86-64');
    await writeFile(
      join(root, '700', 'cmdline'),
      'ld.so\0--library-path\0/tmp/lib\0--argv0\0firefox\0./x11vnc\0-forever\0',
    );
    await start(701, '/usr/bin/perl', 'perl');
    await writeFile(join(root, '701', 'cmdline'), 'perl\0-I\0/tmp/lib\0/usr/bin/shutter\0');
    await start(702, '/usr/bin/python3.11', 'python3.11');
    await writeFile(join(root, '702', 'cmdline'), 'python3\0-X\0dev\0-m\0kazam.app\0');
    await start(703, '/lib/ld-musl-x86_64.so.1', 'ld-musl-x86_64');
    await writeFile(join(root, '703', 'cmdline'), 'ld\0');
    expect(await names(source)).toEqual({
      700: 'x11vnc',
      701: 'shutter',
      702: 'kazam',
      // Nothing to run: the loader itself.
      703: 'ld-musl-x86_64.so.1',
    });
  });
});
