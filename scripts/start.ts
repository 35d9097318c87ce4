import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { startPreview } from '../src/preview/preview-client';
import { loadServerKeys } from '../src/server/keys';

import { ELECTRON_MISSING, findElectronBinary } from './electron-binary';

/**
 * `npm start`: builds the client, starts the exam server on an embedded SQLite data folder
 * with the demo exam, then launches the Electron client pointed at it. Without the Electron
 * binary it says so in one line and serves the candidate UI as a browser preview (not locked
 * down) against the same server.
 */
const root = fileURLToPath(new URL('..', import.meta.url));
const dev = process.argv.includes('--dev');
// --no-build: use the existing out/ (tests that run beside a build, or a second start).
const build = !dev && !process.argv.includes('--no-build');
const host = process.env.HOST ?? '127.0.0.1';
const port = process.env.PORT ?? '8080';
const serverUrl = `http://${host}:${port}`;
const children: ChildProcess[] = [];

function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  const child = spawn(command, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  children.push(child);
  return child;
}

function exitCode(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
}

async function waitForServer(url: string, server: ChildProcess): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    // A child killed by a signal has no exit code, only a signal.
    if (server.exitCode !== null || server.signalCode !== null)
      throw new Error(
        `the exam server stopped while starting (${server.signalCode ?? `exit ${server.exitCode}`}; see above)`,
      );
    try {
      // Bounded: whatever answers must answer soon (a program that is no web server never does).
      const response = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the exam server did not answer at ${url} within 30 s`);
}

/** Whether something already listens on `host:port` (another Vakt, or any other program). */
function portTaken(at: string, onPort: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: at, port: onPort });
    socket.setTimeout(2_000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function packageVersion(): string {
  return (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string })
    .version;
}

function stopAll(): void {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
}

async function main(): Promise<void> {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  // Before anything is built or printed: a taken port would give a link to someone else's server.
  if (await portTaken(host, Number(port))) {
    throw new Error(
      `port ${port} on ${host} is taken by another program (another npm start?). Stop it, or start on another port: PORT=${Number(port) + 1} npm start`,
    );
  }
  if (build) {
    console.log('Building the client…');
    if ((await exitCode(run(npm, ['run', '--silent', 'build']))) !== 0) {
      throw new Error('the build failed (see above)');
    }
  }

  const dataDir = process.env.VAKT_DATA_DIR ?? '.vakt-data';
  // The built server (dist/server, made by the build above), as IT runs it.
  const server = run(process.execPath, ['bin/vakt-server.mjs', 'serve'], {
    HOST: host,
    PORT: port,
    VAKT_DATA_DIR: dataDir,
    VAKT_DEMO: '1',
  });
  await waitForServer(serverUrl, server);
  // The client pins the server's signing key; a managed install has it in its settings.
  const clientEnv = {
    VAKT_SERVER_URL: serverUrl,
    VAKT_SERVER_PUBLIC_KEY: loadServerKeys(dataDir).signing.publicKey,
  };

  const electron = findElectronBinary(root);
  if (!electron) {
    console.log(
      `${ELECTRON_MISSING} The exam server keeps running at ${serverUrl} — press Ctrl+C to stop.`,
    );
    const preview = await startPreview({
      serverUrl,
      serverPublicKey: clientEnv.VAKT_SERVER_PUBLIC_KEY,
      dataDir: join(dataDir, 'preview-client'),
      rendererDir: join(root, 'out/renderer'),
      clientVersion: packageVersion(),
      // Observe and report only, unless asked: this is someone's own computer.
      endPrograms: process.env.VAKT_PREVIEW_END_PROGRAMS === '1',
      ...(process.env.PREVIEW_PORT ? { port: Number(process.env.PREVIEW_PORT) } : {}),
    });
    console.log(
      `Preview of the candidate UI (not locked down): ${preview.server.url} — sign in with DEMO-1, 1001, demo.`,
    );
    process.exitCode = await exitCode(server);
    await preview.close();
    return;
  }
  const client = dev
    ? run(npm, ['exec', '--', 'electron-vite', 'dev'], clientEnv)
    : run(electron, ['.'], clientEnv);
  process.exitCode = await exitCode(client);
  stopAll();
}

process.on('SIGINT', stopAll);
process.on('SIGTERM', stopAll);
main().catch((error: unknown) => {
  console.error(`npm start failed: ${error instanceof Error ? error.message : String(error)}`);
  stopAll();
  process.exitCode = 1;
});
