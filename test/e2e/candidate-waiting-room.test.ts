import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { parseExamFile } from '../../src/common/exam-file';
import { insertCandidate } from '../../src/server/repositories/candidates';
import { insertExam } from '../../src/server/repositories/exams';
import { chromiumMissing, launchChromium } from '../support/chromium';
import { candidateScreen, demoServer, previewFor, signInOn } from '../support/preview';

const root = new URL('../..', import.meta.url).pathname;
const MINUTE = 60_000;

const WORDS = {
  en: { title: 'Waiting room', ready: /^You are ready\. The exam starts by itself at / },
  nb: { title: 'Venterom', ready: /^Du er klar\. Eksamenen starter av seg selv klokken / },
  nn: { title: 'Venterom', ready: /^Du er klar\. Eksamenen startar av seg sjølv klokka / },
} as const;

/**
 * The waiting room in the browser: a candidate signs in before the exam opens, sees its title
 * and a countdown with the checks done and no Start button, and the exam opens by itself when
 * the server's clock (moved by the test; this computer's clock does not move) reaches the
 * opening.
 */
describe.skipIf(chromiumMissing() !== null)('the waiting room, in the browser', () => {
  let server: Awaited<ReturnType<typeof demoServer>>;
  let browser: Browser;
  let opensAt: number;

  beforeAll(async () => {
    server = await demoServer();
    browser = await launchChromium();
    const demo = JSON.parse(await readFile(join(root, 'assets/exams/demo.json'), 'utf8')) as {
      content: { title: string };
    };
    opensAt = server.clock.now + 20 * MINUTE;
    const parsed = parseExamFile({
      code: 'WAIT-1',
      window: {
        opensAt: new Date(opensAt).toISOString(),
        closesAt: new Date(opensAt + 180 * MINUTE).toISOString(),
      },
      content: { ...demo.content, title: 'Matematikk 1T' },
    });
    if (!parsed.ok) throw new Error(parsed.problems.join('; '));
    const exam = await insertExam(server.db.storage.db, parsed.value, server.clock.now);
    await insertCandidate(server.db.storage.db, exam.id, {
      candidateNumber: '501',
      name: 'Ada Lovelace',
      personalCode: 'wait-501',
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('counts down to the opening, then opens by itself on the server clock', async () => {
    const preview = await previewFor(server, {
      tuning: { heartbeatIntervalMs: 300, baseDelayMs: 20, maxDelayMs: 200 },
    });
    const page = await browser.newPage({ locale: 'en-GB', bypassCSP: true });
    try {
      await page.goto(preview.server.url);
      await signInOn(page, 'WAIT-1', '501', 'wait-501');
      for (const language of ['en', 'nb', 'nn'] as const) {
        await page.locator('select').first().selectOption(language);
        await page.getByRole('heading', { name: WORDS[language].title }).waitFor();
        await page.getByText(WORDS[language].ready).waitFor();
        // The hall's clock, in English too: 24-hour, never "9:20 AM".
        if (language === 'en') await page.getByText(/^The exam opens at \d{2}:\d{2}\.$/).waitFor();
        await candidateScreen(page, `${language}-0-waiting-room`);
      }
      await page.getByText('Matematikk 1T').waitFor();
      // 20 minutes on the server's clock, counting down; no Start button before the opening.
      expect(await page.locator('.opening-countdown time').textContent()).toMatch(/^(19|20):\d\d$/);
      expect(await page.getByRole('button', { name: /Start/ }).count()).toBe(0);

      // The server's clock reaches the opening: the exam opens, and starts, by itself.
      server.clock.now = opensAt + 500;
      await page.locator('.exam-header').waitFor({ timeout: 30_000 });
      expect(await page.locator('.opening').count()).toBe(0);
      await page.getByText('Ada Lovelace', { exact: false }).first().waitFor();
      await candidateScreen(page, 'nn-0b-opened');
      // The clock counts from the opening: the whole duration is left, give or take seconds.
      const pkg = preview.session.examPackage!;
      const seconds = await page
        .locator('.countdown time')
        .getAttribute('datetime')
        .then((value) => Number(/PT(\d+)S/.exec(value ?? '')?.[1]));
      const duration = Math.min(pkg.policy.timing.durationMinutes, 180) * 60;
      expect(seconds).toBeGreaterThan(duration - 30);
      expect(seconds).toBeLessThanOrEqual(duration);
    } finally {
      await page.close();
      await preview.close();
    }
  }, 90_000);
});
