import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { AnswerValue } from '../../src/common/answers';
import { answersHash } from '../../src/common/api';
import { insertCandidate } from '../../src/server/repositories/candidates';
import { chromiumMissing, launchChromium } from '../support/chromium';
import { pdfText } from '../support/pdf-text';
import {
  candidateScreen,
  demoServer,
  instruct,
  previewFor,
  saveStatusIs,
  signInOn,
} from '../support/preview';
import { staffCookie } from '../support/staff';

/**
 * The candidate's exam in real Chromium through the preview bridge, against a real server on
 * loopback: sign in, preflight, every question type, submit, receipt — in each language, with
 * axe-core on every screen and a screenshot of each under test-results/screens/.
 */
const root = new URL('../..', import.meta.url).pathname;
const SCREENS = join(root, 'test-results/screens');

const LANGUAGES = {
  en: {
    next: 'Next',
    submit: 'Submit…',
    confirm: 'Submit',
    received: 'Received by the server',
    read: 'I have read it',
    raise: 'Raise hand',
  },
  nb: {
    next: 'Neste',
    submit: 'Lever …',
    confirm: 'Lever',
    received: 'Mottatt av serveren',
    read: 'Jeg har lest den',
    raise: 'Rekk opp hånden',
  },
  nn: {
    next: 'Neste',
    submit: 'Lever …',
    confirm: 'Lever',
    received: 'Motteke av tenaren',
    read: 'Eg har lese ho',
    raise: 'Rekk opp handa',
  },
} as const;
type Language = keyof typeof LANGUAGES;

/** A screenshot for people to look at, and no accessibility violations on it. */
const screen = (page: Page, language: Language, name: string) =>
  candidateScreen(page, `${language}-${name}`);

describe.skipIf(chromiumMissing() !== null)('the candidate sits the demo exam', () => {
  let server: Awaited<ReturnType<typeof demoServer>>;
  let browser: Browser;
  let examId: string;
  let staff: string;

  beforeAll(async () => {
    await mkdir(SCREENS, { recursive: true });
    server = await demoServer();
    examId = server.demoExamId;
    browser = await launchChromium();
    staff = (await staffCookie(server.app, server.db.storage, 'inv@example.no', 'admin')).cookie;
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it.each(Object.keys(LANGUAGES) as Language[])(
    'from sign-in to receipt in %s, and the server holds what was typed',
    async (language) => {
      const words = LANGUAGES[language];
      const candidateNumber = `20${Object.keys(LANGUAGES).indexOf(language)}`;
      await insertCandidate(server.db.storage.db, examId, {
        candidateNumber,
        name: `Candidate ${language}`,
        personalCode: `code-${language}`,
      });
      const preview = await previewFor(server, {
        tuning: { heartbeatIntervalMs: 300, baseDelayMs: 20, maxDelayMs: 200 },
      });
      // bypassCSP lets the test inject axe-core; the page itself runs under the app's CSP.
      const page = await browser.newPage({
        locale: language === 'en' ? 'en-GB' : 'nb-NO',
        bypassCSP: true,
      });
      try {
        await page.goto(preview.server.url);
        await page.locator('select').selectOption(language);
        await expect.poll(() => page.locator('html').getAttribute('lang')).toBe(language);
        await screen(page, language, '1-sign-in');

        // A wrong personal code first: the refusal in the candidate's language.
        await signInOn(page, 'DEMO-1', candidateNumber, 'wrong');
        await expect.poll(() => page.getByRole('alert').count()).toBeGreaterThan(0);
        await screen(page, language, '2-sign-in-refused');

        await page.locator('#personalCode').fill(`code-${language}`);
        await page.locator('form button[type=submit]').click();
        await page.locator('.preflight').waitFor();
        await screen(page, language, '3-preflight');
        await page.locator('.preflight button').last().click();

        await page.locator('.exam').waitFor();
        // Who sits here, for an invigilator checking identity: name, number and exam.
        expect(await page.locator('.identity').textContent()).toContain(`Candidate ${language}`);
        await page.getByLabel('Oslo').check();
        await saveStatusIs(page, 'received-by-server');
        expect(await page.locator('.save-status').textContent()).toBe(words.received);
        await screen(page, language, '4-single-choice');

        // The invigilator locks the exam: the lock screen, then back where the candidate was.
        const candidate = await server.db.storage.db
          .selectFrom('candidates')
          .select('id')
          .where('exam_id', '=', examId)
          .where('candidate_number', '=', candidateNumber)
          .executeTakeFirstOrThrow();
        const reason = `Come to the front desk (${language})`;
        await instruct(server, staff, { examId, candidateId: candidate.id }, 'lock', reason);
        await page.locator('.locked').waitFor({ timeout: 15_000 });
        // What the invigilator wrote reaches the lock screen.
        await page.locator('.lock-reason').getByText(reason, { exact: false }).waitFor();
        await screen(page, language, '4b-locked');
        await instruct(server, staff, { examId, candidateId: candidate.id }, 'unlock');
        await page.locator('.locked').waitFor({ state: 'detached', timeout: 15_000 });
        expect(await page.getByLabel('Oslo').isChecked()).toBe(true);

        // A pause stops the clock: the countdown stands still, and the time comes back.
        const secondsLeft = async () =>
          Number(
            /PT(\d+)S/.exec((await page.locator('.countdown time').getAttribute('datetime'))!)![1],
          );
        await instruct(server, staff, { examId, candidateId: candidate.id }, 'pause');
        await page.locator('#paused-title').waitFor({ timeout: 15_000 });
        const frozen = await secondsLeft();
        await new Promise((resolve) => setTimeout(resolve, 2_500));
        expect(await secondsLeft()).toBe(frozen);
        await screen(page, language, '4d-paused');
        await instruct(server, staff, { examId, candidateId: candidate.id }, 'resume');
        await page.locator('#paused-title').waitFor({ state: 'detached', timeout: 15_000 });
        // Given back: no more than the moments the resume took to arrive are gone.
        expect(await secondsLeft()).toBeGreaterThanOrEqual(frozen - 5);

        // A message from the invigilator, shown as text over the exam until read.
        const message = `<i>Ten minutes</i> left (${language})`;
        const staffCall = (path: string, payload: Record<string, unknown>) =>
          server.app.inject({
            method: 'POST',
            url: `/api/v1/staff/exams/${examId}${path}`,
            headers: { cookie: staff },
            payload,
          });
        await staffCall('/instructions', {
          candidates: [candidate.id],
          kind: 'message',
          text: message,
        });
        await page
          .locator('.message-text')
          .getByText(message, { exact: true })
          .waitFor({ timeout: 15_000 });
        await screen(page, language, '4e-message');
        await page.getByRole('button', { name: words.read }).click();
        await page.locator('.message').waitFor({ state: 'detached' });

        // Time added is said, not only seen in the countdown; the candidate dismisses it.
        await staffCall(`/candidates/${candidate.id}/instructions`, {
          kind: 'add-time',
          minutes: 15,
        });
        const added = page.locator('.added-time p');
        await added.getByText(/ 15 /).waitFor({ timeout: 15_000 });
        await screen(page, language, '4g-time-added');
        await added.getByRole('button').click();
        await added.waitFor({ state: 'detached' });

        // The candidate raises a hand with a few words; the invigilator answers it.
        await page.getByRole('button', { name: words.raise }).click();
        await page.locator('.raise-hand input').fill('The screen flickers');
        await page.locator('.raise-hand button[type=submit]').click();
        await page.locator('.raise-hand.raised').waitFor();
        await screen(page, language, '4f-hand-raised');
        await expect
          .poll(
            async () =>
              (
                await server.db.storage.db
                  .selectFrom('candidates')
                  .select('hand_text')
                  .where('id', '=', candidate.id)
                  .executeTakeFirstOrThrow()
              ).hand_text,
          )
          .toBe('The screen flickers');
        await staffCall(`/candidates/${candidate.id}/instructions`, { kind: 'hand-answered' });
        await page.locator('.raise-hand.raised').waitFor({ state: 'detached', timeout: 15_000 });
        // The answer comes back: an invigilator saw it, until the candidate says OK.
        await page.locator('.raise-hand.answered').waitFor({ timeout: 15_000 });
        await screen(page, language, '4h-hand-answered');
        await page.locator('.hand-answered button').click();
        await page.locator('.raise-hand.answered').waitFor({ state: 'detached' });

        // The high-contrast theme passes the same checks.
        await page.locator('.settings input[type=checkbox]').check();
        await screen(page, language, '4c-high-contrast');
        await page.locator('.settings input[type=checkbox]').uncheck();

        await page.getByRole('button', { name: words.next }).click();
        await page.getByLabel('2', { exact: true }).check();
        await page.getByLabel('11', { exact: true }).check();
        await screen(page, language, '5-multiple-choice');

        await page.getByRole('button', { name: words.next }).click();
        await page.locator('#answer').fill('guard');
        await screen(page, language, '6-short-text');

        await page.getByRole('button', { name: words.next }).click();
        const essay = `Titles can hold private things (${language}).`;
        await page.locator('#answer').fill(essay);
        await screen(page, language, '7-long-text');

        // Typing is not a stream of news: 50 characters, typed, are announced at most twice.
        await page.evaluate(`
          globalThis.announced = 0;
          new MutationObserver(() => (globalThis.announced += 1)).observe(
            document.querySelector('.question [aria-live]'),
            { subtree: true, childList: true, characterData: true },
          );
        `);
        await page.locator('#answer').pressSequentially(' '.padEnd(50, 'x'), { delay: 40 });
        await saveStatusIs(page, 'received-by-server');
        await new Promise((resolve) => setTimeout(resolve, 2_500));
        expect(await page.evaluate('globalThis.announced')).toBeLessThanOrEqual(2);
        const essayTyped = `${essay} ${'x'.repeat(49)}`;

        await page.getByRole('button', { name: words.next }).click();
        const boiling = language === 'en' ? '100.0' : '100,0';
        await page.locator('#answer').fill(boiling);
        await saveStatusIs(page, 'received-by-server');
        await screen(page, language, '8-numeric');

        await page.getByRole('button', { name: words.submit }).click();
        await page.getByRole('dialog').waitFor();
        await screen(page, language, '9-submit-confirm');
        await page.getByRole('dialog').getByRole('button', { name: words.confirm }).click();

        await page.locator('.receipt .hash').waitFor({ timeout: 20_000 });
        await screen(page, language, '10-receipt');

        const typed: Record<string, AnswerValue> = {
          capital: { type: 'single-choice', optionId: 'oslo' },
          primes: { type: 'multiple-choice', optionIds: ['n2', 'n11'] },
          word: { type: 'short-text', text: 'guard' },
          essay: { type: 'long-text', text: essayTyped },
          boiling: { type: 'numeric', text: boiling },
        };
        const hash = answersHash(typed);
        expect(await page.locator('.receipt .hash').textContent()).toBe(hash);

        // The receipt to keep: printed (or saved as PDF) it holds the exam, the candidate, the
        // time and the hash, and none of the app's buttons.
        await page.emulateMedia({ media: 'print' });
        await page.screenshot({
          path: join(SCREENS, `${language}-10b-receipt-print.png`),
          fullPage: true,
        });
        const pdf = await page.pdf({ format: 'A4' });
        await writeFile(join(SCREENS, `${language}-receipt.pdf`), pdf);
        await page.emulateMedia({ media: 'screen' });
        expect(pdf.toString('latin1').match(/\/Type\s*\/Page\b/g)?.length).toBe(1);
        const printed = await pdfText(pdf);
        if (printed !== null) {
          const flat = printed.replace(/\s+/g, '');
          expect(flat).toContain(hash);
          // The server's signature, to prove the receipt without the server.
          const signature = await page.locator('.receipt-signature .signature').textContent();
          expect(signature).toMatch(/^[0-9a-f]{128}$/);
          expect(flat).toContain(signature);
          expect(printed).toContain('DEMO-1');
          expect(printed).toContain(candidateNumber);
          expect(printed).toContain(`Candidate ${language}`);
          expect(printed).not.toContain(words.raise);
        }
        const journalId = preview.session.journalId!;
        const stored = await server.db.storage.db
          .selectFrom('answers')
          .innerJoin('journals', 'journals.candidate_id', 'answers.candidate_id')
          .select(['answers.question_id', 'answers.value'])
          .where('journals.id', '=', journalId)
          .execute();
        expect(
          Object.fromEntries(
            stored.map((row) => [row.question_id, JSON.parse(row.value) as unknown]),
          ),
        ).toEqual(typed);
      } finally {
        await page.close();
        await preview.close();
      }
    },
    90_000,
  );
});
