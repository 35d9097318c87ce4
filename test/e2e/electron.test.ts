import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { _electron as electron, type ElectronApplication } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { findElectronBinary } from '../../scripts/electron-binary';
import { listeningServer, type ListeningServer } from '../support/client-session';

/**
 * End-to-end through the real Electron binary with Playwright's _electron driver. The binary
 * cannot be downloaded on every machine (it is fetched lazily from GitHub); where it is
 * missing these tests are skipped and say so.
 */
const root = new URL('../..', import.meta.url).pathname;
const binary = findElectronBinary(root);
const display = process.env.DISPLAY;
const reason = !binary
  ? 'the Electron binary is not installed (node_modules/electron/dist)'
  : !display
    ? 'no X display (run under Xvfb)'
    : null;
if (reason) console.warn(`SKIPPED Electron end-to-end tests: ${reason}.`);
/** Chromium will not start as root without it (CI containers); a development build allows it. */
const rootArgs = process.getuid?.() === 0 ? ['--no-sandbox'] : [];

describe.skipIf(reason !== null)('Electron client', () => {
  let app: ElectronApplication;

  beforeAll(async () => {
    app = await electron.launch({ executablePath: binary!, args: [root, ...rootArgs], cwd: root });
  }, 60_000);

  afterAll(async () => {
    await app?.close();
  });

  it('opens the sign-in screen from app://vakt with a sandboxed, isolated renderer', async () => {
    const page = await app.firstWindow();
    expect(page.url()).toBe('app://vakt/');
    await expect.poll(() => page.getByLabel('Exam code').isVisible()).toBe(true);
    expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe(
      'undefined',
    );
    expect(
      await page.evaluate(
        () => typeof (globalThis as unknown as { vakt: { signIn: unknown } }).vakt.signIn,
      ),
    ).toBe('function');
  });

  it('does not navigate away from app://vakt', async () => {
    const page = await app.firstWindow();
    await page.evaluate(() => {
      (globalThis as unknown as { location: { href: string } }).location.href =
        'https://example.com/';
    });
    await page.waitForTimeout(500);
    expect(page.url()).toBe('app://vakt/');
  });
});

describe.skipIf(reason !== null)('Electron client against a server', () => {
  let app: ElectronApplication;
  let server: ListeningServer;
  let userData: string;

  beforeAll(async () => {
    server = await listeningServer();
    userData = await mkdtemp(join(tmpdir(), 'vakt-e2e-'));
    app = await electron.launch({
      executablePath: binary!,
      // basic: no desktop keyring under Xvfb; safeStorage then still encrypts the journal key
      // (and Vakt journals that the key is unprotected).
      args: [root, `--user-data-dir=${userData}`, '--password-store=basic', ...rootArgs],
      cwd: root,
      env: {
        ...process.env,
        VAKT_SERVER_URL: server.url,
        VAKT_SERVER_PUBLIC_KEY: server.keys.signing.publicKey,
        // The packaged build's rules: no developer tools.
        VAKT_PRODUCTION_RULES: '1',
      },
    });
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await server?.stop();
    if (userData) await rm(userData, { recursive: true, force: true });
  });

  type State = { phase: string; problem: { code: string } | null };
  const kiosk = () =>
    app.evaluate(({ BrowserWindow }) => {
      const window = BrowserWindow.getAllWindows()[0]!;
      return { kiosk: window.isKiosk(), onTop: window.isAlwaysOnTop() };
    });

  it('signs in, reaches preflight and keeps an encrypted journal on disk', async () => {
    const page = await app.firstWindow();
    await page.getByLabel('Exam code').fill('TEST-1');
    await page.getByLabel('Candidate number').fill('1001');
    await page.getByLabel('Personal code').fill('secret-1');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const vakt = () =>
      page.evaluate(() =>
        (
          globalThis as unknown as {
            vakt: { getState(request: object): Promise<{ ok: boolean; value?: State }> };
          }
        ).vakt.getState({}),
      );
    // Signed in, and uploads and heartbeats accepted (no problem such as a config-key refusal).
    await expect
      .poll(
        async () => {
          const { value } = await vakt();
          return `${value?.phase}/${value?.problem?.code ?? 'no problem'}`;
        },
        { timeout: 20_000 },
      )
      .toBe('preflight/no problem');
    // Preflight is an ordinary window: the candidate may have programs to close.
    expect(await kiosk()).toEqual({ kiosk: false, onTop: false });
    const sessions = await readdir(join(userData, 'exams', 'sessions'));
    expect(sessions).toHaveLength(1);
    const journal = await readFile(
      join(userData, 'exams', 'sessions', sessions[0]!, 'journal.log'),
      'utf8',
    );
    expect(journal).not.toContain('session.started');
    expect(journal.length).toBeGreaterThan(0);
  });

  it('engages the kiosk for the exam, keeps DevTools shut, and releases after submitting', async () => {
    const page = await app.firstWindow();
    await page.getByRole('button', { name: 'Start the exam' }).click();
    await expect.poll(kiosk, { timeout: 10_000 }).toEqual({ kiosk: true, onTop: true });
    await page.keyboard.press('F12');
    await page.keyboard.press('Control+Shift+I');
    expect(
      await app.evaluate(({ BrowserWindow }) =>
        BrowserWindow.getAllWindows()[0]!.webContents.isDevToolsOpened(),
      ),
    ).toBe(false);
    await page.getByRole('button', { name: 'Submit…' }).click();
    await page.getByRole('button', { name: 'Submit', exact: true }).click();
    await page.getByText('Your answers are submitted').waitFor({ timeout: 20_000 });
    await expect.poll(kiosk, { timeout: 10_000 }).toEqual({ kiosk: false, onTop: false });
  });
});

describe.skipIf(reason !== null)('Electron launch guard', () => {
  it('refuses a remote-debugging switch as a packaged build would, in one line', async () => {
    const run = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(binary!, [root, '--remote-debugging-port=9222'], {
        cwd: root,
        env: { ...process.env, VAKT_STRICT_LAUNCH: '1' },
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('exit', (code) => resolve({ code, stderr }));
    });
    expect(run.code).not.toBe(0);
    // Running as root, Chromium insists on --no-sandbox, which the packaged rules refuse first.
    expect(run.stderr).toMatch(
      /Vakt will not start with the switch "(remote-debugging-port|no-sandbox)"/,
    );
  });
});
