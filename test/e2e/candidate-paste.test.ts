import { spawnSync, type ChildProcess } from 'node:child_process';

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { insertCandidate } from '../../src/server/repositories/candidates';
import { chromiumMissing, launchChromium } from '../support/chromium';
import { candidateScreen, demoServer, previewFor, signInOn } from '../support/preview';
import { startXDisplay, xToolsMissing, type XDisplay } from '../support/x-display';

/**
 * Text from other programs stays out of the exam, whichever way it comes: another program
 * owns Linux's selection (PRIMARY, pasted by a middle click) and the clipboard, under a real X
 * server, and the exam runs in headed Chromium there. Text copied inside the exam pastes back;
 * each refusal reaches the server as a journaled event, with its length only.
 */
function xclipMissing(): string | null {
  if (spawnSync('which', ['xclip']).status === 0) return null;
  const reason = 'xclip not installed (apt-get install xclip)';
  if (process.env.CI === 'true') throw new Error(`${reason}; CI must have it`);
  console.warn(`SKIPPED paste tests: ${reason}.`);
  return reason;
}

const skip = chromiumMissing() !== null || xToolsMissing() !== null || xclipMissing() !== null;

describe.skipIf(skip)('pastes from outside the exam', () => {
  let server: Awaited<ReturnType<typeof demoServer>>;
  let display: XDisplay;
  let browser: Browser;
  const owners: ChildProcess[] = [];

  /** Another program owns `selection` with `text`, as a chat window's selected text would. */
  async function own(selection: 'primary' | 'clipboard', text: string): Promise<void> {
    const owner = display.run('sh', ['-c', `printf %s '${text}' | xclip -selection ${selection}`]);
    owners.push(owner);
    await new Promise((resolve) => owner.once('exit', resolve));
    // xclip forks and keeps the selection from the child; ask X who serves it now.
    await expect
      .poll(
        () =>
          spawnSync('xclip', ['-o', '-selection', selection], {
            env: { ...process.env, ...display.env },
            encoding: 'utf8',
            timeout: 5_000,
          }).stdout,
      )
      .toBe(text);
  }

  beforeAll(async () => {
    server = await demoServer();
    display = await startXDisplay();
    browser = await launchChromium(display.env);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    display?.stop();
    await server?.stop();
  });

  async function refusals(candidateNumber: string) {
    const rows = await server.db.storage.db
      .selectFrom('records')
      .innerJoin('journals', 'journals.id', 'records.journal_id')
      .innerJoin('candidates', 'candidates.id', 'journals.candidate_id')
      .select(['records.payload', 'records.severity'])
      .where('candidates.candidate_number', '=', candidateNumber)
      .where('records.kind', '=', 'clipboard.refused')
      .orderBy('records.seq')
      .execute();
    return rows.map((row) => ({ ...(JSON.parse(row.payload) as object), severity: row.severity }));
  }

  async function toTheWordQuestion(page: Page): Promise<void> {
    await page.locator('.exam').waitFor();
    for (let n = 0; n < 2; n += 1) await page.getByRole('button', { name: 'Next' }).click();
  }

  it('refuses a middle-click and a keyboard paste of foreign text, and lets the exam’s own text back in', async () => {
    await insertCandidate(server.db.storage.db, server.demoExamId, {
      candidateNumber: '701',
      name: 'Paste',
      personalCode: 'paste-701',
    });
    const preview = await previewFor(server, {
      tuning: { heartbeatIntervalMs: 300, baseDelayMs: 20, maxDelayMs: 200 },
    });
    const page = await browser.newPage({ bypassCSP: true });
    try {
      await page.goto(preview.server.url);
      // Before the exam, pasting is the candidate's own business: the exam code from an e-mail.
      await own('clipboard', 'DEMO-1');
      await page.locator('#examCode').focus();
      await page.keyboard.press('Control+V');
      await expect.poll(() => page.locator('#examCode').inputValue()).toBe('DEMO-1');
      await page.locator('#examCode').fill('');
      await signInOn(page, 'DEMO-1', '701', 'paste-701');
      await page.getByRole('button', { name: 'Start the exam' }).click();
      await toTheWordQuestion(page);
      const field = page.locator('.text-answer input');

      // Another program's selection, pasted with the middle button: nothing lands.
      await own('primary', 'answer from a chat');
      const box = (await field.boundingBox())!;
      await page.mouse.click(box.x + 20, box.y + box.height / 2, { button: 'middle' });
      // The clipboard another program wrote, pasted with keys: nothing lands either.
      await own('clipboard', 'copied from a website');
      await field.focus();
      await page.keyboard.press('Control+V');
      await page.keyboard.press('Shift+Insert');
      expect(await field.inputValue()).toBe('');
      await expect
        .poll(() => refusals('701'), { timeout: 30_000 })
        .toEqual([
          { via: 'middle-click', chars: 18, severity: 'low' },
          { via: 'paste', chars: 21, severity: 'low' },
        ]);

      // Text copied inside the exam pastes back in, with the keys and only once it is ours.
      await field.pressSequentially('fjord');
      await field.selectText();
      await page.keyboard.press('Control+C');
      await page.keyboard.press('End');
      await page.keyboard.press('Control+V');
      await expect.poll(() => field.inputValue()).toBe('fjordfjord');
      // The middle click still brings nothing from the other program.
      await own('primary', 'answer from a chat');
      await page.mouse.click(box.x + 20, box.y + box.height / 2, { button: 'middle' });
      await page.keyboard.press('End');
      await page.keyboard.type('!');
      await expect.poll(() => field.inputValue()).toBe('fjordfjord!');
      await candidateScreen(page, 'en-paste-refused');
    } finally {
      for (const owner of owners) owner.kill();
      await page.close();
      await preview.close();
    }
  }, 180_000);
});
