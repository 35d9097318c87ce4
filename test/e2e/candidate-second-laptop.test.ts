import { mkdir } from 'node:fs/promises';

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { STAFF_API_PREFIX } from '../../src/common/staff-api';
import { insertCandidate } from '../../src/server/repositories/candidates';
import { chromiumMissing, launchChromium } from '../support/chromium';
import {
  CANDIDATE_SCREENS,
  candidateScreen,
  demoServer,
  previewFor,
  saveStatusIs,
  signInOn,
} from '../support/preview';
import { staffCookie } from '../support/staff';

const WORDS = {
  en: {
    start: 'Start the exam',
    waiting: 'Waiting for the invigilator',
    replaced: 'Your exam continues on another computer',
    close: 'Close Vakt',
    closing: 'Vakt is closing. Go on with your exam on the other computer.',
  },
  nb: {
    start: 'Start eksamen',
    waiting: 'Venter på eksamensvakten',
    replaced: 'Eksamenen din fortsetter på en annen datamaskin',
    close: 'Lukk Vakt',
    closing: 'Vakt lukkes. Fortsett eksamenen på den andre datamaskinen.',
  },
  nn: {
    start: 'Start eksamen',
    waiting: 'Ventar på eksamensvakta',
    replaced: 'Eksamenen din held fram på ei anna datamaskin',
    close: 'Lukk Vakt',
    closing: 'Vakt blir lukka. Hald fram med eksamenen på den andre datamaskina.',
  },
} as const;
type Language = keyof typeof WORDS;

/** The number of the question shown. */
const current = (page: Page) => page.locator('.navigator button[aria-current=step]').textContent();

/**
 * A candidate changes laptop mid-exam, in the preview against a real server: the second laptop
 * waits calmly for the invigilator, then opens on the candidate's answers; the first says the
 * exam goes on elsewhere, takes no more input, and lets the candidate close Vakt.
 */
describe.skipIf(chromiumMissing() !== null)('a candidate moves to a second laptop', () => {
  let server: Awaited<ReturnType<typeof demoServer>>;
  let browser: Browser;
  let staff: string;

  beforeAll(async () => {
    await mkdir(CANDIDATE_SCREENS, { recursive: true });
    server = await demoServer();
    browser = await launchChromium();
    staff = (await staffCookie(server.app, server.db.storage, 'inv@example.no', 'admin')).cookie;
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it.each(Object.keys(WORDS) as Language[])(
    'waits for approval, then the old laptop says so, in %s',
    async (language) => {
      const words = WORDS[language];
      const number = `30${Object.keys(WORDS).indexOf(language)}`;
      const candidate = await insertCandidate(server.db.storage.db, server.demoExamId, {
        candidateNumber: number,
        name: `Mover ${language}`,
        personalCode: `move-${language}`,
      });
      const tuning = { heartbeatIntervalMs: 300, baseDelayMs: 20, maxDelayMs: 200 };
      const first = await previewFor(server, { tuning });
      const second = await previewFor(server, { tuning });
      const open = async (url: string) => {
        const page = await browser.newPage({ bypassCSP: true });
        await page.goto(url);
        await page.locator('select').first().selectOption(language);
        return page;
      };
      const old = await open(first.server.url);
      const spare = await open(second.server.url);
      try {
        await signInOn(old, 'DEMO-1', number, `move-${language}`);
        await old.getByRole('button', { name: words.start }).click();
        await old.getByLabel('Oslo').check();
        await saveStatusIs(old, 'received-by-server');
        // Question 1 marked for review, then on to question 2; a reload comes back there.
        await old.locator('.question-actions button[aria-pressed]').click();
        await old.locator('.navigator button').nth(1).click();
        await expect.poll(() => current(old)).toBe('2');
        await old.reload();
        await expect.poll(() => current(old)).toBe('2');
        expect(await old.locator('.navigator button').first().getAttribute('class')).toContain(
          'flagged',
        );

        // The second laptop: a calm wait, not a sign-in form or a red banner.
        await signInOn(spare, 'DEMO-1', number, `move-${language}`);
        await spare.getByRole('heading', { name: words.waiting }).waitFor({ timeout: 20_000 });
        expect(await spare.locator('.banner').count()).toBe(0);
        await candidateScreen(spare, `${language}-second-laptop-waiting`);

        // The invigilator approves it: it opens on the answer given on the first laptop.
        const journal = await server.db.storage.db
          .selectFrom('journals')
          .select('id')
          .where('candidate_id', '=', candidate.id)
          .where('state', '=', 'awaiting-approval')
          .executeTakeFirstOrThrow();
        const approved = await server.app.inject({
          method: 'POST',
          url: `${STAFF_API_PREFIX}/exams/${server.demoExamId}/candidates/${candidate.id}/instructions`,
          headers: { cookie: staff },
          payload: { kind: 'approve-device', journalId: journal.id },
        });
        expect(approved.statusCode, approved.body).toBe(200);
        await spare.getByRole('heading', { name: words.waiting }).waitFor({
          state: 'detached',
          timeout: 20_000,
        });
        // Its own checks first (as on any laptop), then the exam where the candidate left it.
        await expect
          .poll(
            async () => {
              const start = spare.getByRole('button', { name: words.start });
              if ((await start.count()) > 0) await start.click().catch(() => undefined);
              return spare.locator('.exam').count();
            },
            // Fetching the answers waits on heartbeats: slow on a loaded 2-core machine.
            { timeout: 45_000 },
          )
          .toBe(1);
        // Where the candidate was, with the same mark and answer: it came from the server.
        expect(await current(spare)).toBe('2');
        expect(await spare.locator('.navigator button').first().getAttribute('class')).toContain(
          'flagged',
        );
        await spare.locator('.navigator button').first().click();
        expect(await spare.getByLabel('Oslo').isChecked()).toBe(true);

        // The first laptop hears it was replaced: the exam is out of reach, and it may close.
        await old.getByRole('heading', { name: words.replaced }).waitFor({ timeout: 20_000 });
        expect(await old.locator('.screen').getAttribute('inert')).not.toBeNull();
        await candidateScreen(old, `${language}-replaced`);
        await old.getByRole('button', { name: words.close }).click();
        await old.getByText(words.closing).waitFor();
      } finally {
        await old.close();
        await spare.close();
        await first.close();
        await second.close();
      }
    },
    120_000,
  );
});
