import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { build } from 'esbuild';
import psList from 'ps-list';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { examPolicySchema, type ExamPolicyInput } from '../../src/common/policy';
import { ProgramClassifier } from '../../src/main/monitor/catalogue';
import { builtInCatalogue } from '../../src/main/monitor/catalogue-data';
import { ProcSource } from '../../src/main/monitor/proc-source';
import { ProcessMonitor, type ProcessEvent } from '../../src/main/monitor/process-monitor';
import { PsListSource, type ProcessSource } from '../../src/main/monitor/process-source';
import { PsSource } from '../../src/main/monitor/ps-source';
import { terminate } from '../../src/main/monitor/terminate';
import { systemTimers } from '../../src/main/timers';
import { until } from '../support/client-session';

/**
 * Real processes: a harmless binary (`sleep`) copied under catalogue names, started, and
 * watched by the monitor with each process source. Generous timeouts: latency is measured by
 * `npm run bench -- monitor`, not here.
 */
const SLEEP = '/usr/bin/sleep';
const catalogue = builtInCatalogue();
let dir: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vakt-programs-'));
  await chmod(dir, 0o755);
});

// Waits for each to be reaped: a killed child stays a zombie until then, and ps-list lists
// zombies, so the next test's monitor would see it start (a flake CI once hit).
afterEach(async () => {
  await Promise.all(
    children.splice(0).map(async (child) => {
      const exited =
        child.exitCode !== null || child.signalCode !== null
          ? Promise.resolve()
          : new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }),
  );
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A copy of `sleep` named `name`, ready to run. */
async function programAt(name: string): Promise<string> {
  const path = join(dir, name);
  await copyFile(SLEEP, path).catch(() => undefined);
  await chmod(path, 0o755);
  return path;
}

/** Starts a copy of `sleep` named `name`; the odd duration lets a test look for it in events. */
async function startAs(name: string): Promise<ChildProcess> {
  const path = await programAt(name);
  const child = spawn(path, ['4242'], { stdio: 'ignore' });
  children.push(child);
  await new Promise((resolve) => child.once('spawn', resolve));
  return child;
}

function watch(source: ProcessSource, policy: ExamPolicyInput = {}) {
  const events: ProcessEvent[] = [];
  const monitor = new ProcessMonitor({
    source,
    classifier: new ProgramClassifier(catalogue, examPolicySchema.parse(policy).processes, 'linux'),
    timers: systemTimers,
    intervalMs: 100,
    emit: (event) => events.push(event),
    terminate: (pids) => terminate(pids, { graceMs: 500 }),
  });
  monitor.start();
  const seen = (kind: ProcessEvent['kind'], name: string) =>
    events.some((event) => event.kind === kind && event.payload.name === name);
  return { events, monitor, seen };
}

const flagAll: ExamPolicyInput = {
  processes: { categoryActions: { 'remote-access': 'flag', 'screen-capture': 'flag' } },
};

const SOURCES: [string, () => ProcessSource][] = [
  ['/proc', () => new ProcSource()],
  ['ps (as on macOS)', () => new PsSource()],
  ['ps-list', () => new PsListSource(psList)],
];

// ps-list lists zombies as running; the two sources the app uses do not.
describe.each(SOURCES.slice(0, 2))('with the %s source, a zombie', (_label, makeSource) => {
  it('is a program that has stopped, not one still running', async () => {
    // AnyDesk ends after 0.3 s, but its parent has exec()ed into `sleep`, which never reaps it.
    const anydesk = await programAt('AnyDesk');
    const parent = spawn('sh', ['-c', `"${anydesk}" 0.3 & exec ${SLEEP} 4242`], {
      stdio: 'ignore',
    });
    children.push(parent);
    const { monitor, seen } = watch(makeSource(), flagAll);
    try {
      await until(() => seen('process.started', 'AnyDesk'), 'AnyDesk to start');
      await until(() => seen('process.stopped', 'AnyDesk'), 'AnyDesk, a zombie, to stop');
      const state = spawnSync('ps', ['-o', 'state=', '--ppid', String(parent.pid)]).stdout;
      expect(state.toString().trim()).toBe('Z'); // still there, unreaped
      expect(monitor.preflight()).toEqual([]);
    } finally {
      await monitor.stop();
    }
  });
});

describe.each(SOURCES)('process monitor with the %s source', (_label, makeSource) => {
  it('reports catalogue programs with their category, and reports them stopped', async () => {
    const { events, monitor, seen } = watch(makeSource(), flagAll);
    try {
      const programs = await Promise.all(
        ['AnyDesk', 'obs', 'Discord', 'simplescreenrecorder', 'orca', 'my-notes'].map(startAs),
      );
      const expected = [
        { name: 'AnyDesk', category: 'remote-access' },
        { name: 'OBS Studio', category: 'screen-capture' },
        { name: 'Discord', category: 'communication' },
        { name: 'SimpleScreenRecorder', category: 'screen-capture' },
      ];
      await until(() => expected.every(({ name }) => seen('process.started', name)), 'detection');
      for (const { name, category } of expected) {
        expect(events).toContainEqual({
          kind: 'process.started',
          payload: { name, category, action: 'flag' },
        });
      }
      expect(monitor.preflight().map((p) => p.friendlyName)).toEqual(
        expect.arrayContaining(expected.map(({ name }) => name)),
      );
      for (const child of programs) child.kill('SIGTERM');
      await until(() => expected.every(({ name }) => seen('process.stopped', name)), 'the stop');

      // A screen reader and an unknown program leave no trace; nor do paths, users or arguments.
      const text = JSON.stringify(events);
      expect(text).not.toMatch(/orca|my-notes/i);
      expect(text).not.toContain(dir);
      expect(text).not.toContain('4242');
      expect(text).not.toMatch(/root|uid|pid/);
    } finally {
      await monitor.stop();
    }
  });

  it('ends a program a terminate rule names, and records that it ended', async () => {
    const { events, monitor, seen } = watch(makeSource(), {
      processes: {
        rules: [
          {
            names: ['obs'],
            friendlyName: 'OBS Studio',
            category: 'screen-capture',
            action: 'terminate',
          },
        ],
      },
    });
    try {
      const obs = await startAs('obs');
      const exited = new Promise((resolve) => obs.once('exit', resolve));
      await until(() => seen('process.terminated', 'OBS Studio'), 'the termination');
      expect(events).toContainEqual({
        kind: 'process.terminated',
        payload: { name: 'OBS Studio', category: 'screen-capture', outcome: 'ended' },
      });
      await exited;
      await until(() => seen('process.stopped', 'OBS Studio'), 'the stop');
    } finally {
      await monitor.stop();
    }
  });

  it('keeps ending a program that restarts itself, and says it keeps coming back', async () => {
    // As a candidate would run `while :; do x11vnc …; done`, here with a copy of sleep that
    // this test starts again the moment it ends (it is the parent, so nothing is left a zombie).
    const vnc = await programAt('x11vnc');
    let looping = true;
    const respawn = () => {
      const child = spawn(vnc, ['4242'], { stdio: 'ignore' });
      children.push(child);
      child.once('exit', () => looping && respawn());
    };
    respawn();
    const { events, monitor } = watch(makeSource());
    const terminations = () =>
      events.filter(
        (event) => event.kind === 'process.terminated' && event.payload.name === 'x11vnc',
      );
    try {
      await until(() => terminations().length >= 3, 'three terminations', 20_000);
      expect(terminations()[0]?.payload).toEqual({
        name: 'x11vnc',
        category: 'remote-access',
        outcome: 'ended',
      });
      // Each later one says how often it came back.
      expect(
        terminations()
          .slice(1, 3)
          .map((event) => event.payload),
      ).toEqual([
        { name: 'x11vnc', category: 'remote-access', outcome: 'ended', returns: 1 },
        { name: 'x11vnc', category: 'remote-access', outcome: 'ended', returns: 2 },
      ]);
    } finally {
      looping = false;
      await monitor.stop();
      await monitor.settled();
    }
  });

  it('follows the policy: a category allowed is silent, a program added is flagged', async () => {
    const { events, monitor, seen } = watch(makeSource(), {
      processes: {
        categoryActions: { communication: 'allow' },
        rules: [
          {
            names: ['my-notes'],
            friendlyName: 'My Notes',
            category: 'ai-assistant',
            action: 'flag',
          },
          // Assistive technology stays allowed, whatever a rule says.
          { names: ['orca'], friendlyName: 'Orca', category: 'automation', action: 'terminate' },
        ],
      },
    });
    try {
      await Promise.all(['Discord', 'my-notes', 'orca'].map(startAs));
      await until(() => seen('process.started', 'My Notes'), 'the added program');
      // Two more polls, to be sure nothing else comes.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(events.map((event) => event.payload.name)).toEqual(['My Notes']);
    } finally {
      await monitor.stop();
    }
  });
});

describe('programs that are scripts (/proc source)', () => {
  /** A shell script named `name` that runs a while: its process's executable is the shell. */
  async function script(name: string): Promise<string> {
    const path = join(dir, name);
    await writeFile(path, '#!/bin/sh\nsleep 4242\n');
    await chmod(path, 0o755);
    return path;
  }

  it('are recognised by the script, not the interpreter, and a screen reader stays silent', async () => {
    const kazam = await script('kazam');
    const autokey = await script('autokey-gtk.sh');
    const orca = await script('orca');
    for (const [command, args] of [
      [kazam, ['--silent']],
      ['sh', [autokey]],
      [orca, []],
      ['sh', ['-c', 'sleep 4243']],
    ] as const) {
      const child = spawn(command, [...args], { stdio: 'ignore', detached: true });
      children.push(child);
    }
    const { events, monitor, seen } = watch(new ProcSource(), flagAll);
    try {
      await until(
        () => seen('process.started', 'Kazam') && seen('process.started', 'AutoKey (GTK)'),
        'the scripts',
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(events.map((event) => event.payload.name).sort()).toEqual(['AutoKey (GTK)', 'Kazam']);
      // Nothing of the command line travels: not the folder, not the arguments.
      const text = JSON.stringify(events);
      expect(text).not.toContain(dir);
      expect(text).not.toContain('--silent');
    } finally {
      await monitor.stop();
      for (const child of children.splice(0)) process.kill(-child.pid!, 'SIGKILL');
    }
  });

  it('are recognised through the dynamic loader and past interpreter options', async () => {
    // `/lib64/ld-linux-x86-64.so.2 PROGRAM` runs PROGRAM with the loader as the executable;
    // `python3 -W ignore kazam` put "ignore" where the script's name was looked for.
    const loader = ['/lib64/ld-linux-x86-64.so.2', '/lib/ld-linux-aarch64.so.1'].find((path) =>
      existsSync(path),
    );
    if (!loader) throw new Error('no dynamic loader at its usual path');
    const anydesk = await programAt('AnyDesk');
    const kazam = join(dir, 'kazam');
    await writeFile(kazam, 'import time\ntime.sleep(4242)\n');
    for (const [command, args] of [
      [loader, ['--argv0', 'notes', anydesk, '4245']],
      ['python3', ['-W', 'ignore', '-X', 'dev', kazam]],
    ] as const) {
      const child = spawn(command, [...args], { stdio: 'ignore', detached: true });
      children.push(child);
    }
    const { monitor, seen } = watch(new ProcSource(), flagAll);
    try {
      await until(
        () => seen('process.started', 'AnyDesk') && seen('process.started', 'Kazam'),
        'the loaded program and the script',
      );
    } finally {
      await monitor.stop();
      for (const child of children.splice(0)) process.kill(-child.pid!, 'SIGKILL');
    }
  });

  it('are seen when a running shell exec()s into a catalogue program', async () => {
    const anydesk = await programAt('AnyDesk');
    const { monitor, seen } = watch(new ProcSource(), flagAll);
    try {
      // Known to the source as `sh` first; the same pid runs AnyDesk half a second later.
      const child = spawn('sh', ['-c', `sleep 0.5; exec ${anydesk} 4244`], { stdio: 'ignore' });
      children.push(child);
      await until(() => seen('process.started', 'AnyDesk'), 'the exec');
    } finally {
      await monitor.stop();
    }
  });
});

describe('Debian programs by their real names', () => {
  const missing = ['ffmpeg', 'x11vnc', 'Xvfb'].filter(
    (tool) => spawnSync('which', [tool]).status !== 0,
  );
  if (missing.length > 0) {
    if (process.env.CI === 'true') throw new Error(`CI must have ${missing.join(', ')}`);
    console.warn(`SKIPPED Debian program detection: ${missing.join(', ')} not installed.`);
  }

  it.skipIf(missing.length > 0)('detects ffmpeg and x11vnc as they really run', async () => {
    const display = `:${90 + (process.pid % 9)}`;
    const xvfb = spawn('Xvfb', [display, '-screen', '0', '640x480x24', '-nolisten', 'tcp'], {
      stdio: 'ignore',
    });
    children.push(xvfb);
    const { monitor, seen } = watch(new ProcSource(), flagAll);
    try {
      children.push(
        spawn(
          'ffmpeg',
          ['-nostdin', '-f', 'lavfi', '-i', 'anullsrc', '-t', '60', '-f', 'null', '-'],
          {
            stdio: 'ignore',
          },
        ),
      );
      await new Promise((resolve) => setTimeout(resolve, 500));
      children.push(
        spawn(
          'x11vnc',
          ['-display', display, '-localhost', '-rfbport', '0', '-forever', '-quiet'],
          {
            stdio: 'ignore',
          },
        ),
      );
      await until(() => seen('process.started', 'FFmpeg'), 'ffmpeg', 30_000);
      await until(() => seen('process.started', 'x11vnc'), 'x11vnc', 30_000);
    } finally {
      await monitor.stop();
    }
  });
});

describe("another user's process", () => {
  const isRoot = process.getuid?.() === 0;
  if (!isRoot) console.warn("SKIPPED another user's process: runuser needs root.");

  it.skipIf(!isRoot)('is reported as not ended when the monitor runs unprivileged', async () => {
    const bundle = join(dir, 'monitor-child.mjs');
    await build({
      entryPoints: [join(import.meta.dirname, '../support/monitor-child.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile: bundle,
      logLevel: 'silent',
    });
    await chmod(bundle, 0o644);
    const victim = await startAs('simplescreenrecorder');
    const policy = { processes: { categoryActions: { 'screen-capture': 'terminate' } } };
    const run = spawnSync(
      'runuser',
      ['-u', 'nobody', '--', '/usr/bin/node', bundle, JSON.stringify(policy)],
      { encoding: 'utf8', timeout: 30_000 },
    );
    expect(run.stderr).toBe('');
    const { uid, events } = JSON.parse(run.stdout) as { uid: number; events: ProcessEvent[] };
    expect(uid).not.toBe(0);
    // As nobody, root's /proc/PID/exe is unreadable: the 15-character comm matched by prefix.
    expect(events).toContainEqual({
      kind: 'process.terminated',
      payload: {
        name: 'SimpleScreenRecorder',
        category: 'screen-capture',
        outcome: 'not-permitted',
      },
    });
    expect(victim.exitCode).toBeNull();
    expect(victim.signalCode).toBeNull();
  });
});
