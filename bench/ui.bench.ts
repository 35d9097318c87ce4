import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

import { launchChromium } from '../test/support/chromium';
import { demoServer, previewFor } from '../test/support/preview';

import { quantile, report } from './report';

/**
 * The candidate UI in real Chromium through the preview bridge, against a local server:
 * keystroke to "saved on this computer" (the saveAnswer call resolves once the answer is
 * fsynced), switching question, first paint of the exam after a reload, and the renderer's
 * JavaScript gzipped. Run `npm run build` first (npm run bench -- ui does not build).
 */
const root = new URL('..', import.meta.url).pathname;
const KEYSTROKES = 60;
const SWITCHES = 40;

const assets = join(root, 'out/renderer/assets');
let gzipped = 0;
let raw = 0;
for (const file of (await readdir(assets)).filter((name) => name.endsWith('.js'))) {
  const bytes = await readFile(join(assets, file));
  raw += bytes.length;
  gzipped += gzipSync(bytes, { level: 9 }).length;
}
report('ui', 'renderer JavaScript, gzipped', gzipped / 1024, 'KiB');
report('ui', 'renderer JavaScript, uncompressed', raw / 1024, 'KiB');

const server = await demoServer();
const preview = await previewFor(server);
const browser = await launchChromium();
try {
  const page = await browser.newPage({ locale: 'en-GB' });
  // Times each saveAnswer from the key that caused it to the call resolving saved.
  await page.addInitScript({
    content: `
      globalThis.saveTimes = [];
      let lastKey = 0;
      addEventListener('keydown', () => { lastKey = performance.now(); }, true);
      let api;
      Object.defineProperty(globalThis, 'vakt', {
        configurable: true,
        get: () => api,
        set: (value) => {
          const save = value.saveAnswer;
          api = { ...value, saveAnswer: async (request) => {
            const key = lastKey;
            const result = await save(request);
            if (result.ok && result.value.saved && key > 0) saveTimes.push(performance.now() - key);
            return result;
          } };
        },
      });`,
  });
  await page.goto(preview.server.url);
  await page.locator('#examCode').fill('DEMO-1');
  await page.locator('#candidateNumber').fill('1001');
  await page.locator('#personalCode').fill('demo');
  await page.locator('form button[type=submit]').click();
  await page.locator('.preflight button').last().click();
  await page.locator('.exam').waitFor();

  // Question 3 is short text. A key every 600 ms: past the 500 ms coalescing, so each is written.
  for (let n = 0; n < 2; n += 1) await page.getByRole('button', { name: 'Next' }).click();
  await page.locator('#answer').focus();
  for (let n = 0; n < KEYSTROKES; n += 1) {
    await page.keyboard.type(String.fromCharCode(97 + (n % 26)));
    await page.waitForTimeout(600);
  }
  const saves = await page.evaluate(() => (globalThis as { saveTimes?: number[] }).saveTimes);
  report('ui', 'keystroke to saved on this computer p50', quantile(saves ?? [], 0.5), 'ms');
  report('ui', 'keystroke to saved on this computer p99', quantile(saves ?? [], 0.99), 'ms');

  // Question switch: from the key press to the new question's heading in the DOM.
  const switches: number[] = [];
  for (let n = 0; n < SWITCHES; n += 1) {
    const name = n % 2 === 0 ? 'Previous' : 'Next';
    // A string, not a function: tsx would wrap named inner functions in a helper the page lacks.
    const took = await page.evaluate<number>(`(async () => {
      const heading = () => document.querySelector('.question h2').textContent;
      const before = heading();
      const button = [...document.querySelectorAll('.question-actions button')].find(
        (b) => b.textContent === ${JSON.stringify(name)},
      );
      const start = performance.now();
      button.click();
      while (heading() === before) await new Promise((resolve) => requestAnimationFrame(resolve));
      return performance.now() - start;
    })()`);
    switches.push(took);
  }
  report('ui', 'question switch p50', quantile(switches, 0.5), 'ms');
  report('ui', 'question switch p99', quantile(switches, 0.99), 'ms');

  // First paint of the exam screen after a reload (the session resumes in main).
  const started = performance.now();
  await page.reload();
  await page.locator('.exam').waitFor();
  report('ui', 'reload to exam screen', performance.now() - started, 'ms');
  const paint = await page.evaluate<number>(
    `performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN`,
  );
  report('ui', 'first contentful paint', paint, 'ms');
} finally {
  await browser.close();
  await preview.close();
  await server.stop();
}
