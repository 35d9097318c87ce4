import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { answersHash } from '../../src/common/api';
import { parseExamFile } from '../../src/common/exam-file';
import { hashExitCode } from '../../src/server/exams/exit-code-hash';
import { insertCandidate, type NewCandidate } from '../../src/server/repositories/candidates';
import { insertExam } from '../../src/server/repositories/exams';
import { chromiumMissing, launchChromium } from '../support/chromium';
import { FaultProxy } from '../support/fault-proxy';
import {
  candidateScreen,
  demoServer,
  previewFor,
  saveStatusIs,
  signInOn,
} from '../support/preview';

/**
 * Time runs out while the network is down: the one-minute warning is announced, the wrong exit
 * code is refused, the submission is sealed on this computer (and can be exported as a hand-in
 * file), and the receipt arrives once the network returns.
 */
const root = new URL('../..', import.meta.url).pathname;
const SCREENS = join(root, 'test-results/screens');
/** A screenshot (as `<language>-<name>`) and axe on it. */
const screen = (page: Page, name: string, language = 'en') =>
  candidateScreen(page, `${language}-${name}`);

describe.skipIf(chromiumMissing() !== null)('time up while offline, in the browser', () => {
  let server: Awaited<ReturnType<typeof demoServer>>;
  let proxy: FaultProxy;
  let browser: Browser;
  let demo: { content: unknown };

  beforeAll(async () => {
    await mkdir(SCREENS, { recursive: true });
    demo = JSON.parse(await readFile(join(root, 'assets/exams/demo.json'), 'utf8')) as {
      content: unknown;
    };
    server = await demoServer();
    proxy = await FaultProxy.start(server.port);
    browser = await launchChromium();
  }, 60_000);

  /**
   * The demo exam's questions under `code`, closing `closesInMs` from now, with the exit code
   * "let-me-out" and one candidate whose personal code is `personalCode`.
   */
  async function examFor(code: string, closesInMs: number, candidate: NewCandidate) {
    const parsed = parseExamFile({
      code,
      window: {
        opensAt: new Date(server.clock.now - 3_600_000).toISOString(),
        closesAt: new Date(server.clock.now + closesInMs).toISOString(),
      },
      policy: { exitCode: await hashExitCode('let-me-out') },
      content: demo.content,
    });
    if (!parsed.ok) throw new Error(parsed.problems.join('; '));
    const exam = await insertExam(server.db.storage.db, parsed.value, server.clock.now);
    await insertCandidate(server.db.storage.db, exam.id, candidate);
  }

  afterAll(async () => {
    await browser?.close();
    await proxy?.close();
    await server?.stop();
  });

  it('warns, seals on this computer, exports a hand-in file and delivers on reconnect', async () => {
    // An exam that closes 30 seconds from now on the server's clock, with an exit code.
    await examFor('SHORT-1', 30_000, {
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
      await signInOn(page, 'SHORT-1', '401', 'late');
      await page.getByRole('button', { name: 'Start the exam' }).click();
      await page.getByLabel('Oslo').check();
      await saveStatusIs(page, 'received-by-server');
      await expect
        .poll(() => page.locator('.countdown .warning').textContent())
        .toBe('1 minute left.');
      // The last minute is shown large, and said assertively (the 10 and 5 minutes politely).
      expect(await page.locator('.countdown .warning').getAttribute('class')).toContain('last');
      expect(await page.locator('.countdown [role=alert]').textContent()).toBe('1 minute left.');
      expect(await page.locator('.countdown [role=status]').textContent()).toBe('');
      await screen(page, 'one-minute-left');

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
      // It says why first: the time ran out, and the answers were handed in.
      await page.getByRole('heading', { name: 'Time is up' }).waitFor();
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

  it('lets the candidate leave with the right exit code, and the server hears of it', async () => {
    await examFor('LEAVE-1', 3_600_000, {
      candidateNumber: '402',
      name: 'Early',
      personalCode: 'early',
    });
    const preview = await previewFor(server, { serverPublicUrl: server.publicUrl });
    const page = await browser.newPage({ locale: 'nb-NO', bypassCSP: true });
    try {
      await page.goto(preview.server.url);
      await signInOn(page, 'LEAVE-1', '402', 'early');
      await page.getByRole('button', { name: 'Start eksamen' }).click();
      await page.getByLabel('Oslo').check();
      await page.getByText('Mottatt av serveren').waitFor();

      await page.getByRole('button', { name: 'Forlat eksamen' }).click();
      await page.locator('#exitCode').fill('let-me-out');
      await page.getByRole('button', { name: 'Forlat', exact: true }).click();
      await page.getByText('Vakt lukkes. Svarene dine er lagret på denne datamaskinen.').waitFor();
      await screen(page, 'exit-code-accepted', 'nb');
      // The exit form is gone: nothing more to type.
      expect(await page.locator('#exitCode').count()).toBe(0);
      // The leave is on the record at the server, with how it was allowed.
      await expect
        .poll(async () => {
          const rows = await server.db.storage.db
            .selectFrom('records')
            .select('payload')
            .where('kind', '=', 'exit.allowed')
            .execute();
          return rows.map((row) => JSON.parse(row.payload) as unknown);
        })
        .toEqual([{ via: 'exit-code' }]);
    } finally {
      await page.close();
      await preview.close();
    }
  }, 60_000);
});
