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
            Promise.resolve({ ok: true, value: { server: 'exam.school.no', examCode: 'DEMO-1' } }),
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
});
