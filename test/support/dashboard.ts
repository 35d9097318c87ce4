import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';

import { parseExamFile } from '../../src/common/exam-file';
import { insertExam } from '../../src/server/repositories/exams';
import { assign, insertStaffUser } from '../../src/server/repositories/staff';

import { axeViolations } from './axe';
import { launchChromium } from './chromium';
import { freshStorage, type TestStorage } from './databases';
import { testHash } from './hashes';
import { freePort } from './net';
import { testServer, TEST_EXAM, type TestServer } from './server';
import { STAFF_PASSWORD } from './staff';

const root = new URL('../..', import.meta.url).pathname;
export const SCREENS = join(root, 'test-results/screens');
export const DASHBOARD = join(root, 'dist/dashboard');

export const LANGUAGES = ['en', 'nb', 'nn'] as const;
export type Language = (typeof LANGUAGES)[number];

/** A screenshot under test-results/screens, and axe-core finds nothing on the page. */
export async function screen(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENS, `dashboard-${name}.png`), fullPage: true });
  expect(await axeViolations(page), `axe on ${name}`).toEqual([]);
}

export interface DashboardUnderTest {
  db: TestStorage;
  server: TestServer;
  browser: Browser;
  url: string;
  /** An exam the invigilator (ivar@vakt.test) is assigned to; the admin is admin@vakt.test. */
  otherExamId: string;
  /** A signed-in page; bypassCSP only so the test can inject axe-core. */
  signedIn(email: string, language?: Language): Promise<Page>;
  close(): Promise<void>;
}

/**
 * The dashboard on a real server on loopback (SQLite), with the test exam, another exam, an
 * admin and an invigilator, and Chromium to drive it.
 */
export async function startDashboard(): Promise<DashboardUnderTest> {
  await mkdir(SCREENS, { recursive: true });
  const db = await freshStorage('sqlite');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server = await testServer(db.storage, undefined, true, url, { dashboardDir: DASHBOARD });
  await server.app.listen({ host: '127.0.0.1', port });
  const other = parseExamFile({ ...TEST_EXAM, code: 'OTHER-1' });
  if (!other.ok) throw new Error('bad fixture');
  const otherExamId = (await insertExam(db.storage.db, other.value, 0)).id;
  const passwordHash = await testHash(STAFF_PASSWORD, 'staff');
  await insertStaffUser(
    db.storage.db,
    { email: 'admin@vakt.test', name: 'Ada Admin', role: 'admin', passwordHash },
    0,
  );
  const invigilator = await insertStaffUser(
    db.storage.db,
    { email: 'ivar@vakt.test', name: 'Ivar Vakt', role: 'invigilator', passwordHash },
    0,
  );
  await assign(db.storage.db, invigilator.id, otherExamId);
  const browser = await launchChromium();

  const signedIn = async (email: string, language: Language = 'en'): Promise<Page> => {
    const context: BrowserContext = await browser.newContext({
      locale: language === 'en' ? 'en-GB' : language === 'nb' ? 'nb-NO' : 'nn-NO',
      bypassCSP: true,
      acceptDownloads: true,
    });
    const page = await context.newPage();
    // Shorter than the test's own timeout, so a failure names the step that waited.
    page.setDefaultTimeout(15_000);
    await page.goto(`${url}/`);
    await page.locator('select').first().selectOption(language);
    await page.locator('input[name=email]').fill(email);
    await page.locator('input[name=password]').fill(STAFF_PASSWORD);
    await page.locator('form.sign-in button[type=submit]').click();
    await page.locator('.who').waitFor();
    return page;
  };

  return {
    db,
    server,
    browser,
    url,
    otherExamId,
    signedIn,
    close: async () => {
      await browser.close();
      const errors = server.serverErrors;
      await server.app.close();
      await db.cleanup();
      expect(errors).toEqual([]);
    },
  };
}
