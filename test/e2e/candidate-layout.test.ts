import { mkdir } from 'node:fs/promises';

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { insertCandidate } from '../../src/server/repositories/candidates';
import { chromiumMissing, launchChromium } from '../support/chromium';
import {
  CANDIDATE_SCREENS,
  candidateScreen,
  demoServer,
  previewFor,
  signInOn,
} from '../support/preview';

/** Whether `selector` is wholly inside the viewport (nothing to scroll to). */
async function inView(page: Page, selector: string): Promise<boolean> {
  const box = await page.locator(selector).first().boundingBox();
  const viewport = page.viewportSize()!;
  return box !== null && box.y >= 0 && box.y + box.height <= viewport.height;
}

/** How far the page scrolls sideways (0: it reflows). */
const sideways = (page: Page) =>
  page.evaluate<number>(
    'document.documentElement.scrollWidth - document.documentElement.clientWidth',
  );

/**
 * The exam holds its shape for a candidate who needs large text or zoom (WCAG 1.4.4, 1.4.10):
 * at 200 % text on a 1280×720 screen the time and the submit button stay in view on every
 * question; at 400 % zoom (320 CSS px wide) nothing scrolls sideways; "Start the exam" is in
 * view on a 1366×768 laptop.
 */
describe.skipIf(chromiumMissing() !== null)('the exam at large text and zoom', () => {
  let server: Awaited<ReturnType<typeof demoServer>>;
  let browser: Browser;

  beforeAll(async () => {
    await mkdir(CANDIDATE_SCREENS, { recursive: true });
    server = await demoServer();
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('keeps time and submit in view at 200 %, and reflows at 320 px', async () => {
    await insertCandidate(server.db.storage.db, server.demoExamId, {
      candidateNumber: '501',
      name: 'Large Text',
      personalCode: 'large-text',
    });
    const preview = await previewFor(server);
    const page = await browser.newPage({
      bypassCSP: true,
      viewport: { width: 1366, height: 768 },
    });
    try {
      await page.goto(preview.server.url);
      await signInOn(page, 'DEMO-1', '501', 'large-text');
      const start = page.getByRole('button', { name: 'Start the exam' });
      await start.waitFor();
      expect(await inView(page, '.preflight button:not([disabled])')).toBe(true);
      await start.click();
      await page.locator('.exam').waitFor();

      // 200 % text (the largest size the candidate can pick) on 1280×720.
      await page.setViewportSize({ width: 1280, height: 720 });
      const larger = page.getByRole('button', { name: 'Larger text' });
      while (await larger.isEnabled()) await larger.click();
      const questions = await page.locator('.navigator button').count();
      for (let question = 1; question <= questions; question += 1) {
        await page
          .locator('.navigator button')
          .nth(question - 1)
          .click();
        await page.getByRole('heading', { name: new RegExp(`^Question ${question} of`) }).waitFor();
        // Scrolled to the bottom of the question: the header is still there.
        await page.evaluate('window.scrollTo(0, document.body.scrollHeight)');
        expect(await inView(page, '.countdown time'), `time, question ${question}`).toBe(true);
        expect(await inView(page, '.exam-header .primary'), `submit, question ${question}`).toBe(
          true,
        );
      }
      await candidateScreen(page, 'en-exam-200-percent');

      // 400 % zoom: 320 CSS px wide at the normal text size.
      const smaller = page.getByRole('button', { name: 'Smaller text' });
      while (await smaller.isEnabled()) await smaller.click();
      await page.setViewportSize({ width: 320, height: 180 });
      for (let question = 1; question <= questions; question += 1) {
        await page
          .locator('.navigator button')
          .nth(question - 1)
          .click();
        await page.getByRole('heading', { name: new RegExp(`^Question ${question} of`) }).waitFor();
        expect(await sideways(page), `sideways scroll, question ${question}`).toBeLessThanOrEqual(
          0,
        );
      }
      await page.setViewportSize({ width: 320, height: 640 });
      await candidateScreen(page, 'en-exam-320px');
    } finally {
      await page.close();
      await preview.close();
    }
  }, 120_000);
});
