import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { signedOutState } from '../../src/main/client-state';
import { chromiumMissing, launchChromium } from '../support/chromium';
import { serveFolder } from '../support/static-server';

/**
 * The built candidate UI in real Chromium, with a stand-in for the preload's window.vakt:
 * what the renderer shows depends only on what that bridge answers.
 */
const root = new URL('../..', import.meta.url).pathname;
const SCREENS = join(root, 'test-results/screens');

describe.skipIf(chromiumMissing() !== null)('candidate UI in Chromium', () => {
  let browser: Browser;
  let site: Awaited<ReturnType<typeof serveFolder>>;

  beforeAll(async () => {
    site = await serveFolder(join(root, 'out/renderer'));
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  it('signs in through window.vakt, with the linked exam code, and words the refusal', async () => {
    const page = await browser.newPage({ locale: 'en-GB' });
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    await page.addInitScript((signedOut) => {
      const calls: unknown[] = [];
      Object.assign(globalThis, {
        vaktCalls: calls,
        vakt: {
          getState: () => Promise.resolve({ ok: true, value: signedOut }),
          // As after a vakt:// link for the configured server.
          getSignInDefaults: () =>
            Promise.resolve({
              ok: true,
              value: {
                server: 'exam.school.no',
                examCode: 'DEMO-1',
                language: null,
                configProblem: null,
                // The feed offers a newer version (managed "manual" update mode).
                updateAvailable: '2.0.0',
              },
            }),
          onEvent: () => () => undefined,
          signIn: (request: unknown) => {
            calls.push(request);
            return Promise.resolve({
              ok: false,
              error: { code: 'wrong-credentials', params: {} },
            });
          },
        },
      });
    }, signedOutState());
    await page.goto(site.url);
    // The link filled in the exam code, and the screen names the configured server.
    await page.getByText('Exam server: exam.school.no').waitFor();
    await page.getByText('A newer Vakt (2.0.0) is available.', { exact: false }).waitFor();
    expect(await page.getByLabel('Exam code').inputValue()).toBe('DEMO-1');
    await page.getByLabel('Candidate number').fill('1001');
    await page.getByLabel('Personal code').fill('wrong');
    await page.getByRole('button', { name: 'Sign in' }).click();

    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toBe(
        'The exam code, candidate number or personal code is not right. Check them, or ask the invigilator.',
      );
    expect(
      await page.evaluate(() => (globalThis as unknown as { vaktCalls: unknown[] }).vaktCalls),
    ).toEqual([{ examCode: 'DEMO-1', candidateNumber: '1001', personalCode: 'wrong' }]);
    // The renderer has no network of its own: every request is for its own files.
    expect(requests.filter((url) => !url.startsWith(site.url))).toEqual([]);
    await page.close();
  });

  it('tells IT which managed setting is wrong, in the language IT chose', async () => {
    const page = await browser.newPage({ locale: 'en-GB' });
    await page.addInitScript((signedOut) => {
      const problem = {
        source: '/etc/vakt/policy.json',
        key: 'ServerUrl',
        detail: 'must be an https:// address',
      };
      Object.assign(globalThis, {
        vakt: {
          getState: () => Promise.resolve({ ok: true, value: signedOut }),
          getSignInDefaults: () =>
            Promise.resolve({
              ok: true,
              value: { server: null, examCode: null, language: 'nn', configProblem: problem },
            }),
          onEvent: () => () => undefined,
        },
      });
    }, signedOutState());
    await page.goto(site.url);
    await page.getByText('Vakt er ikkje rett sett opp på denne datamaskina').waitFor();
    expect(await page.getByRole('alert').textContent()).toContain(
      '/etc/vakt/policy.json › ServerUrl: must be an https:// address',
    );
    expect(await page.locator('html').getAttribute('lang')).toBe('nn');
    await mkdir(SCREENS, { recursive: true });
    await page.screenshot({
      path: join(SCREENS, 'nn-managed-settings-problem.png'),
      fullPage: true,
    });
    await page.close();
  });
});
