import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { en } from '../../src/dashboard/locales/en';
import { nb } from '../../src/dashboard/locales/nb';
import { nn } from '../../src/dashboard/locales/nn';
import { chromiumMissing } from '../support/chromium';
import { LANGUAGES, screen, startDashboard, type DashboardUnderTest } from '../support/dashboard';
import { localeStrings } from '../support/locale-strings';

const LOCALES = { en, nb, nn } as const;

/**
 * English catalogue strings a Norwegian page must not show: every English string (its longest
 * fragment between placeholders, 12 characters or more) that the language words differently.
 */
function englishLeftOn(text: string, language: 'nb' | 'nn'): string[] {
  const translated = new Map(localeStrings(LOCALES[language]));
  return localeStrings(en).flatMap(([key, english]) => {
    if (translated.get(key) === english) return [];
    const fragment = english
      .split(/\{\{[^}]*\}\}/)
      .map((part) => part.trim())
      .sort((a, b) => b.length - a.length)[0];
    return fragment && fragment.length >= 12 && text.includes(fragment)
      ? [`${key}: ${fragment}`]
      : [];
  });
}

/**
 * Every page of the invigilator dashboard in each language, in real Chromium: a screenshot
 * under test-results/screens/ and axe-core finding nothing. Its own file (and server), so the
 * walk runs beside the dashboard's other tests.
 */
describe.skipIf(chromiumMissing() !== null)('every dashboard page', () => {
  let dashboard: DashboardUnderTest;

  beforeAll(async () => {
    dashboard = await startDashboard();
  }, 60_000);

  afterAll(() => dashboard?.close());

  it.each(LANGUAGES)('passes axe on every page in %s', async (language) => {
    const page = await dashboard.browser.newPage({ bypassCSP: true });
    await page.goto(`${dashboard.url}/dashboard/`);
    await page.locator('select').first().selectOption(language);
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe(language);
    await page.locator('form.sign-in').waitFor();
    await screen(page, `${language}-1-sign-in`);
    await page.close();

    const signed = await dashboard.signedIn('admin@vakt.test', language);
    await signed.locator('table.plain a').first().waitFor();
    await screen(signed, `${language}-exams`);
    for (const [name, hash] of [
      ['exam', `#/exams/${dashboard.server.exam.id}`],
      ['report', `#/exams/${dashboard.server.exam.id}/report`],
    ] as const) {
      await signed.goto(`${dashboard.url}/dashboard/${hash}`);
      await signed.locator('h1').filter({ hasText: 'TEST-1' }).waitFor();
      await screen(signed, `${language}-${name}`);
      if (language !== 'en')
        expect(englishLeftOn(await signed.locator('body').innerText(), language)).toEqual([]);
    }
    // The exam's administration opened: title, window, duration, candidates, invigilators.
    await signed.goto(`${dashboard.url}/dashboard/#/exams/${dashboard.server.exam.id}`);
    await signed.locator('tr[data-candidate="1001"]').waitFor();
    await signed.locator('details.exam-admin > summary').click();
    await signed.locator('form.exam-details').waitFor();
    await screen(signed, `${language}-exam-admin`);
    await signed.goto(`${dashboard.url}/dashboard/#/admin`);
    await signed.locator('table.audit tbody tr').first().waitFor();
    await screen(signed, `${language}-admin`);
    if (language !== 'en')
      expect(englishLeftOn(await signed.locator('body').innerText(), language)).toEqual([]);
    // Disabling an account is asked first; asked, then cancelled.
    const words = LOCALES[language];
    const account = signed.locator('tr', { hasText: 'ivar@vakt.test' });
    await account.getByRole('button', { name: words.admin.account.disable }).click();
    await account.getByRole('alert').waitFor();
    await screen(signed, `${language}-admin-disable-asked`);
    await account.getByRole('button', { name: words.room.cancel }).click();
    await account.getByRole('alert').waitFor({ state: 'detached' });
    await signed.goto(`${dashboard.url}/dashboard/#/privacy`);
    await signed.locator('tr[data-exam="TEST-1"]').waitFor();
    await screen(signed, `${language}-privacy`);
    if (language !== 'en')
      expect(englishLeftOn(await signed.locator('body').innerText(), language)).toEqual([]);
    const candidate = await dashboard.db.storage.db
      .selectFrom('candidates')
      .select('id')
      .where('candidate_number', '=', '1001')
      .executeTakeFirstOrThrow();
    await signed.goto(
      `${dashboard.url}/dashboard/#/exams/${dashboard.server.exam.id}/candidates/${candidate.id}`,
    );
    await signed.locator('.candidate-page .summary').waitFor();
    await screen(signed, `${language}-candidate`);
    if (language !== 'en')
      expect(englishLeftOn(await signed.locator('body').innerText(), language)).toEqual([]);
    await signed.context().close();
  });
});
