import { randomBytes, scryptSync } from 'node:crypto';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { answersHash } from '../../src/common/api';
import { parseExamFile } from '../../src/common/exam-file';
import { insertCandidate } from '../../src/server/repositories/candidates';
import { insertExam } from '../../src/server/repositories/exams';
import { chromiumMissing, launchChromium } from '../support/chromium';
import { FaultProxy } from '../support/fault-proxy';
import { demoServer, previewFor } from '../support/preview';

/**
 * Time runs out while the network is down: the one-minute warning is announced, the wrong exit
 * code is refused, the submission is sealed on this computer (and can be exported as a hand-in
 * file), and the receipt arrives once the network returns.
 */
const root = new URL('../..', import.meta.url).pathname;
const SCREENS = join(root, 'test-results/screens');
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** An exit code hashed as the policy stores it (scrypt, small parameters for a test). */
function exitCodeHash(code: string) {
  const salt = randomBytes(16);
  const hash = scryptSync(code, salt, 32, { N: 1024, r: 8, p: 1 });
  return {
    algorithm: 'scrypt',
    N: 1024,
    r: 8,
    p: 1,
    salt: salt.toString('hex'),
    hash: hash.toString('hex'),
  };
}

async function screen(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENS, `en-${name}.png`), fullPage: true });
  await page.addScriptTag({ content: await readFile(AXE, 'utf8') });
  const violations = await page.evaluate<string[]>(
    `axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
      .then((result) => result.violations.map((v) => v.id))`,
  );
  expect(violations, `axe on ${name}`).toEqual([]);
}

describe.skipIf(chromiumMissing() !== null)('time up while offline, in the browser', () => {
  let server: Awaited<ReturnType<typeof demoServer>>;
  let proxy: FaultProxy;
  let browser: Browser;

  beforeAll(async () => {
    await mkdir(SCREENS, { recursive: true });
    server = await demoServer();
    proxy = await FaultProxy.start(server.port);
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await proxy?.close();
    await server?.stop();
  });

  it('warns, seals on this computer, exports a hand-in file and delivers on reconnect', async () => {
    // An exam that closes 30 seconds from now on the server's clock, with an exit code.
    const demo = JSON.parse(await readFile(join(root, 'assets/exams/demo.json'), 'utf8')) as {
      content: unknown;
    };
    const parsed = parseExamFile({
      code: 'SHORT-1',
      window: {
        opensAt: new Date(server.clock.now - 3_600_000).toISOString(),
        closesAt: new Date(server.clock.now + 30_000).toISOString(),
      },
      policy: { exitCode: exitCodeHash('let-me-out') },
      content: demo.content,
    });
    if (!parsed.ok) throw new Error(parsed.problems.join('; '));
    const exam = await insertExam(server.db.storage.db, parsed.value, server.clock.now);
    await insertCandidate(server.db.storage.db, exam.id, {
      candidateNumber: '401',
      name: 'Late',
      personalCode: 'late',
    });
    const preview = await previewFor(server, {
      serverUrl: proxy.url,
      serverPublicUrl: server.publicUrl,
      tuning: { heartbeatIntervalMs: 300, baseDelayMs: 20, maxDelayMs: 200 },
    });
    const page = await browser.newPage({ locale: 'en-GB', bypassCSP: true });
    try {
      await page.goto(preview.server.url);
      await page.locator('#examCode').fill('SHORT-1');
      await page.locator('#candidateNumber').fill('401');
      await page.locator('#personalCode').fill('late');
      await page.locator('form button[type=submit]').click();
      await page.getByRole('button', { name: 'Start the exam' }).click();
      await page.getByLabel('Oslo').check();
      await page.getByText('Received by the server').waitFor();
      await expect
        .poll(() => page.locator('.countdown .warning').textContent())
        .toBe('1 minute left.');

      // The wrong exit code is refused, in words.
      await page.getByRole('button', { name: 'Leave the exam' }).click();
      await page.locator('#exitCode').fill('guess');
      await page.getByRole('button', { name: 'Leave', exact: true }).click();
      await page.getByText('That exit code is not right.').waitFor();
      await screen(page, 'exit-code-refused');

      proxy.goOffline();
      await page.getByText(/^Offline/).waitFor({ timeout: 20_000 });
      // Time runs out: sealed here, to be sent later.
      await page
        .getByText('Submitted on this computer — it will be sent when the network returns.', {
          exact: false,
        })
        .waitFor({ timeout: 45_000 });
      await page.getByRole('button', { name: 'Save a hand-in file for the invigilator' }).click();
      await page.getByText(/^Saved as vakt-hand-in-SHORT-1-401-/).waitFor();
      await screen(page, 'time-up-offline');
      expect(await readdir(join(preview.dataDir, 'hand-in'))).toHaveLength(1);

      proxy.offline = false;
      await page.getByText('Your answers are submitted').waitFor({ timeout: 20_000 });
      await screen(page, 'receipt-after-reconnect');
      // The date and the time the server received it, as the language writes them.
      await page.getByText(/^Received .*2027.* \d{1,2}:\d{2}/).waitFor();
      expect(await page.locator('.receipt .hash').textContent()).toBe(
        answersHash({ capital: { type: 'single-choice', optionId: 'oslo' } }),
      );
    } finally {
      await page.close();
      await preview.close();
    }
  }, 120_000);
});
