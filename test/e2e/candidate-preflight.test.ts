import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { insertCandidate } from '../../src/server/repositories/candidates';
import { chromiumMissing, launchChromium } from '../support/chromium';
import { demoServer, previewFor, signInOn } from '../support/preview';

/**
 * Preflight with the real monitors: a real process named like a catalogued screen recorder is
 * listed by its friendly name with a close button, and the close button ends it. Other tests
 * may run flagged programs at the same time, so only this one is looked at.
 */
const root = new URL('../..', import.meta.url).pathname;
const SCREENS = join(root, 'test-results/screens');
const linux = process.platform === 'linux';

describe.skipIf(chromiumMissing() !== null || !linux)('preflight in the browser', () => {
  let server: Awaited<ReturnType<typeof demoServer>>;
  let browser: Browser;
  let dir: string;
  let recorder: ChildProcess;

  beforeAll(async () => {
    await mkdir(SCREENS, { recursive: true });
    server = await demoServer();
    browser = await launchChromium();
    // A copy of sleep named kazam: to the process monitor it is Kazam, a screen recorder.
    dir = await mkdtemp(join(tmpdir(), 'vakt-preflight-'));
    const path = join(dir, 'kazam');
    await copyFile('/bin/sleep', path);
    await chmod(path, 0o755);
    recorder = spawn(path, ['4243'], { stdio: 'ignore' });
    await new Promise((resolve) => recorder.once('spawn', resolve));
  }, 60_000);

  afterAll(async () => {
    recorder?.kill('SIGKILL');
    await browser?.close();
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('by default only reports: the preview ends nothing on its own computer', async () => {
    // A candidate of its own: the next test signs in 1001 on another (preview) computer.
    await insertCandidate(server.db.storage.db, server.demoExamId, {
      candidateNumber: '1009',
      name: 'Observed',
      personalCode: 'observe-9',
    });
    const preview = await previewFor(server, { monitor: true });
    const page = await browser.newPage({ locale: 'en-GB' });
    try {
      await page.goto(preview.server.url);
      await signInOn(page, 'DEMO-1', '1009', 'observe-9');
      const close = page.getByRole('button', { name: 'Close Kazam' });
      await close.waitFor({ timeout: 20_000 });
      await close.click();
      await page.getByText('Close Kazam yourself; Vakt may not close it.').waitFor();
      expect(recorder.exitCode ?? recorder.signalCode).toBeNull();
    } finally {
      await page.close();
      await preview.close();
    }
  });

  it('lists a screen recorder by name and ends it with the close button', async () => {
    // As the app does (and npm start with VAKT_PREVIEW_END_PROGRAMS=1).
    const preview = await previewFor(server, { monitor: true, endPrograms: true });
    const page = await browser.newPage({ locale: 'en-GB' });
    try {
      await page.goto(preview.server.url);
      await signInOn(page, 'DEMO-1', '1001', 'demo');

      const close = page.getByRole('button', { name: 'Close Kazam' });
      await close.waitFor({ timeout: 20_000 });
      await page.screenshot({ path: join(SCREENS, 'en-3-preflight-programs.png'), fullPage: true });
      await close.click();
      await expect
        .poll(() => recorder.exitCode ?? recorder.signalCode, { timeout: 10_000 })
        .not.toBeNull();
      await expect
        .poll(() => page.getByRole('button', { name: 'Close Kazam' }).count(), { timeout: 10_000 })
        .toBe(0);
    } finally {
      await page.close();
      await preview.close();
    }
  });
});
