import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { AnswerValue } from '../../src/common/answers';
import { answersHash } from '../../src/common/api';
import { insertCandidate } from '../../src/server/repositories/candidates';
import { chromiumMissing, launchChromium } from '../support/chromium';
import { FaultProxy } from '../support/fault-proxy';
import { demoServer, instruct, previewFor, saveStatusIs } from '../support/preview';
import { staffCookie } from '../support/staff';

/**
 * The whole exam by keyboard alone (no mouse event anywhere), through a network that fails:
 * answers go on offline and reach the server when it returns; a language switch mid-exam
 * keeps every answer; the invigilator locks and unlocks the exam from the staff API.
 */
const root = new URL('../..', import.meta.url).pathname;
const SCREENS = join(root, 'test-results/screens');

/** Presses Tab until `target` has the focus (at most 60 times). */
async function tabTo(page: Page, target: string | Locator, backwards = false): Promise<void> {
  const locator = typeof target === 'string' ? page.locator(target).first() : target.first();
  for (let n = 0; n < 60; n += 1) {
    const focused = await locator
      .evaluate(
        (element) =>
          (element as unknown as { ownerDocument: { activeElement: unknown } }).ownerDocument
            .activeElement === element,
        undefined,
        { timeout: 2_000 },
      )
      .catch(() => false);
    if (focused) return;
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`Tab never reached ${String(target)}`);
}

/** Marks the page if any real mouse event happens (a click by keyboard has detail 0). */
const MOUSE_GUARD = `for (const type of ['mousedown', 'mouseup', 'click'])
  window.addEventListener(type, (event) => { if (event.detail > 0) globalThis.mouseUsed = true; }, true);`;

describe.skipIf(chromiumMissing() !== null)('the exam by keyboard alone, through faults', () => {
  let server: Awaited<ReturnType<typeof demoServer>>;
  let proxy: FaultProxy;
  let browser: Browser;
  let examId: string;

  beforeAll(async () => {
    await mkdir(SCREENS, { recursive: true });
    server = await demoServer();
    examId = server.demoExamId;
    proxy = await FaultProxy.start(server.port);
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await proxy?.close();
    await server?.stop();
  });

  it('signs in, answers offline, switches language, is locked and unlocked, and submits', async () => {
    const candidate = await insertCandidate(server.db.storage.db, examId, {
      candidateNumber: '301',
      name: 'Keyboard',
      personalCode: 'keys',
    });
    const preview = await previewFor(server, {
      serverUrl: proxy.url,
      serverPublicUrl: server.publicUrl,
      tuning: { heartbeatIntervalMs: 300, baseDelayMs: 20, maxDelayMs: 200 },
    });
    const page = await browser.newPage({ locale: 'nb-NO' });
    // Any mouse event at all fails the test.
    await page.addInitScript({ content: MOUSE_GUARD });
    const { cookie } = await staffCookie(server.app, server.db.storage, 'inv@example.no', 'admin');
    const ids = { examId, candidateId: candidate.id };

    let step = 'sign in';
    try {
      await page.goto(preview.server.url);
      await tabTo(page, '#examCode');
      await page.keyboard.type('demo-1');
      await page.keyboard.press('Tab');
      await page.keyboard.type('301');
      await page.keyboard.press('Tab');
      await page.keyboard.type('keys');
      await page.keyboard.press('Enter');

      await page.locator('.preflight').waitFor();
      await tabTo(page, '.preflight button');
      await page.keyboard.press('Enter');

      // Question 1: into the radio group, then the arrow key picks the second option (Oslo).
      await page.locator('.exam').waitFor();
      await tabTo(page, '.question input[type=radio]');
      await page.keyboard.press('ArrowDown');
      await page.getByText('Mottatt av serveren').waitFor();

      step = 'offline';
      // The network goes; answering goes on.
      proxy.goOffline();
      await tabTo(page, page.getByRole('button', { name: 'Neste' }));
      await page.keyboard.press('Enter');
      await tabTo(page, '.question input[type=checkbox]');
      await page.keyboard.press('Space'); // 2
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Space'); // 11
      await saveStatusIs(page, 'saved-locally');
      await page.getByText(/Frakoblet/).waitFor({ timeout: 20_000 });
      // A hand raised offline is kept, and the candidate is told when the invigilators see it.
      await tabTo(page, page.getByRole('button', { name: 'Rekk opp hånden' }));
      await page.keyboard.press('Enter');
      await page.keyboard.type('Nettet er borte');
      await page.keyboard.press('Enter');
      await page.getByText('Nettet er nede: eksamensvaktene ser det', { exact: false }).waitFor();
      await page.screenshot({ path: join(SCREENS, 'nb-offline.png'), fullPage: true });

      await tabTo(page, page.getByRole('button', { name: 'Neste' }));
      await page.keyboard.press('Enter');
      await tabTo(page, '#answer');
      await page.keyboard.type('vakt');

      step = 'language';
      // Switch to nynorsk mid-exam, by keyboard: nothing typed is lost.
      await tabTo(page, 'select', true);
      await page.keyboard.press('ArrowDown');
      await page.getByText('Oppgåve 3 av 5').waitFor();
      expect(await page.locator('#answer').inputValue()).toBe('vakt');

      step = 'online again';
      // The network returns: everything reaches the server.
      proxy.offline = false;
      await saveStatusIs(page, 'received-by-server', 20_000);
      await page.getByText('Tilkopla').waitFor({ timeout: 20_000 });
      await page.getByText('Du har rekt opp handa: ei eksamensvakt kjem til deg.').waitFor();
      const hand = await server.db.storage.db
        .selectFrom('candidates')
        .select('hand_text')
        .where('id', '=', ids.candidateId)
        .executeTakeFirstOrThrow();
      expect(hand.hand_text).toBe('Nettet er borte');

      step = 'lock';
      // Locked by the invigilator, then unlocked: the answers are still there.
      await instruct(server, cookie, ids, 'lock');
      await page.locator('.locked').waitFor({ timeout: 10_000 });
      await page.screenshot({ path: join(SCREENS, 'nn-locked.png'), fullPage: true });
      await instruct(server, cookie, ids, 'unlock');
      await page.locator('.exam').waitFor({ timeout: 10_000 });

      await tabTo(page, 'nav li:first-child button', true);
      await page.keyboard.press('Enter');
      expect(await page.getByLabel('Oslo').isChecked()).toBe(true);

      step = 'submit';
      await tabTo(page, 'button.primary');
      await page.keyboard.press('Enter');
      await page.getByRole('dialog').waitFor();
      // Tab never leaves the open dialog (not to the language menu, not to "Leave the exam").
      const inDialog = () =>
        page.evaluate(() => {
          const active = (globalThis as unknown as { document: { activeElement: unknown } })
            .document.activeElement as { closest?: (selector: string) => unknown } | null;
          return Boolean(active?.closest?.('dialog'));
        });
      for (let n = 0; n < 12; n += 1) {
        await page.keyboard.press('Tab');
        expect(await inDialog()).toBe(true);
      }
      // Esc closes it, and focus is back on the button that opened it.
      await page.keyboard.press('Escape');
      await page.getByRole('dialog').waitFor({ state: 'detached' });
      expect(
        await page
          .locator('.exam button.primary')
          .evaluate(
            (button) =>
              (button as unknown as { ownerDocument: { activeElement: unknown } }).ownerDocument
                .activeElement === button,
          ),
      ).toBe(true);
      await page.keyboard.press('Enter');
      await page.getByRole('dialog').waitFor();
      await tabTo(page, '.dialog button.primary');
      await page.keyboard.press('Enter');
      await page.locator('.receipt .hash').waitFor({ timeout: 20_000 });
      await page.screenshot({ path: join(SCREENS, 'nn-receipt-keyboard.png'), fullPage: true });

      const typed: Record<string, AnswerValue> = {
        capital: { type: 'single-choice', optionId: 'oslo' },
        primes: { type: 'multiple-choice', optionIds: ['n2', 'n11'] },
        word: { type: 'short-text', text: 'vakt' },
      };
      expect(await page.locator('.receipt .hash').textContent()).toBe(answersHash(typed));
      expect(await page.evaluate(() => (globalThis as { mouseUsed?: boolean }).mouseUsed)).toBe(
        undefined,
      );
    } catch (error) {
      await page.screenshot({ path: join(SCREENS, 'failed-keyboard.png'), fullPage: true });
      throw new Error(`keyboard run failed at "${step}"`, { cause: error });
    } finally {
      await page.close();
      await preview.close();
    }
  }, 150_000);
});
