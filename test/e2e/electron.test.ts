import { _electron as electron, type ElectronApplication } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { findElectronBinary } from '../../scripts/electron-binary';

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

describe.skipIf(reason !== null)('Electron client', () => {
  let app: ElectronApplication;

  beforeAll(async () => {
    app = await electron.launch({ executablePath: binary!, args: [root], cwd: root });
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
