import { spawn, spawnSync, type ChildProcess } from 'node:child_process';

const TOOLS = ['Xvfb', 'openbox', 'xterm', 'xdotool', 'xprop', 'xwininfo'];

/**
 * What is missing to run real windows here, or null. Under CI=true a missing tool is a
 * failure, not a skip: CI installs them.
 */
export function xToolsMissing(): string | null {
  const missing = TOOLS.filter((tool) => spawnSync('which', [tool]).status !== 0);
  if (missing.length === 0) return null;
  const reason = `${missing.join(', ')} not installed (apt-get install xvfb openbox xterm xdotool x11-utils)`;
  if (process.env.CI === 'true') throw new Error(`${reason}; CI must have them`);
  console.warn(`SKIPPED window tests: ${reason}.`);
  return reason;
}

export interface XDisplay {
  env: { DISPLAY: string };
  /** Starts a program on the display; it is stopped with the display. */
  run(command: string, args: string[]): ChildProcess;
  /** xdotool on the display; returns its output. */
  xdotool(...args: string[]): string;
  stop(): void;
}

/** Xvfb on a display number it picks itself, with openbox managing windows. */
export async function startXDisplay(): Promise<XDisplay> {
  const xvfb = spawn(
    'Xvfb',
    ['-displayfd', '1', '-screen', '0', '1280x800x24', '-nolisten', 'tcp'],
    {
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  );
  const number = await new Promise<string>((resolve, reject) => {
    xvfb.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()));
    xvfb.once('exit', () => reject(new Error('Xvfb exited before it had a display')));
  });
  const env = { DISPLAY: `:${number}` };
  const children: ChildProcess[] = [xvfb];
  const run = (command: string, args: string[]) => {
    const child = spawn(command, args, { stdio: 'ignore', env: { ...process.env, ...env } });
    children.push(child);
    return child;
  };
  run('openbox', []);
  const xdotool = (...args: string[]) => {
    const result = spawnSync('xdotool', args, {
      encoding: 'utf8',
      env: { ...process.env, ...env },
      timeout: 15_000,
    });
    if (result.status !== 0) throw new Error(`xdotool ${args.join(' ')}: ${result.stderr}`);
    return result.stdout.trim();
  };
  // openbox sets _NET_SUPPORTING_WM_CHECK once it manages the screen.
  for (let i = 0; i < 100; i += 1) {
    const probe = spawnSync('xprop', ['-root', '_NET_SUPPORTING_WM_CHECK'], {
      encoding: 'utf8',
      env: { ...process.env, ...env },
    });
    if (probe.stdout.includes('window id')) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    env,
    run,
    xdotool,
    stop: () => {
      for (const child of children.reverse()) child.kill('SIGKILL');
    },
  };
}
