import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { _electron as electron } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { findElectronBinary } from '../../scripts/electron-binary';
import { LINUX_POLICY_PATH } from '../../src/main/managed/linux-source';

/**
 * The real Electron app reading IT's managed settings from /etc/vakt/policy.json, as on a
 * school's Linux laptop: the configured server and language on the sign-in screen, and a wrong
 * value named for IT. Needs the Electron binary, an X display and root (only root may write
 * the policy file, which is the point of it); any policy file already there is put back.
 */
const root = new URL('../..', import.meta.url).pathname;
const binary = findElectronBinary(root);
const reason = !binary
  ? 'the Electron binary is not installed (node_modules/electron/dist)'
  : !process.env.DISPLAY
    ? 'no X display (run under Xvfb)'
    : process.getuid?.() !== 0
      ? 'not root (only root may write /etc/vakt/policy.json)'
      : null;
if (reason) console.warn(`SKIPPED Electron managed-settings tests: ${reason}.`);

const POLICY = {
  ServerUrl: 'https://exam.school.no',
  ServerPublicKeys: ['a'.repeat(64)],
  Language: 'nn',
  UpdateMode: 'none',
};

describe.skipIf(reason !== null)('Electron with managed settings', () => {
  let before: string | null = null;
  let userData: string;

  beforeAll(async () => {
    before = await readFile(LINUX_POLICY_PATH, 'utf8').catch(() => null);
    await mkdir(dirname(LINUX_POLICY_PATH), { recursive: true, mode: 0o755 });
    userData = await mkdtemp(join(tmpdir(), 'vakt-managed-'));
  });

  afterAll(async () => {
    if (before === null) await rm(LINUX_POLICY_PATH, { force: true });
    else await writeFile(LINUX_POLICY_PATH, before, { mode: 0o644 });
    await rm(userData, { recursive: true, force: true });
  });

  async function launchWith(policy: object) {
    await writeFile(LINUX_POLICY_PATH, JSON.stringify(policy), { mode: 0o644 });
    const app = await electron.launch({
      executablePath: binary!,
      args: [root, `--user-data-dir=${userData}`, '--password-store=basic', '--no-sandbox'],
      cwd: root,
      // No VAKT_SERVER_URL: the managed file alone says where the exam server is.
      env: { ...process.env, VAKT_SERVER_URL: '', VAKT_PRODUCTION_RULES: '1' },
    });
    return { app, page: await app.firstWindow() };
  }

  it('signs in against the server IT configured, in the language IT chose', async () => {
    const { app, page } = await launchWith(POLICY);
    try {
      await page.getByText('exam.school.no', { exact: false }).waitFor();
      await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('nn');
    } finally {
      await app.close();
    }
  });

  it('names the wrong key for IT on the first screen', async () => {
    const { app, page } = await launchWith({ ...POLICY, ServerUrl: 'ftp://exam.school.no' });
    try {
      await page.getByRole('alert').getByText('ServerUrl', { exact: false }).waitFor();
    } finally {
      await app.close();
    }
  });
});
