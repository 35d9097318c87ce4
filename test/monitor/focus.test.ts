import { activeWindow } from 'get-windows';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  FocusMonitor,
  getWindowsReader,
  type FocusEvent,
} from '../../src/main/monitor/focus-monitor';
import { chromiumMissing, launchChromium } from '../support/chromium';
import { until } from '../support/client-session';
import { startXDisplay, xToolsMissing, type XDisplay } from '../support/x-display';

/**
 * Real windows: Xvfb with openbox, a headful Chromium window standing in for the exam window
 * (its blur and focus drive the monitor, as Electron's window does in production), an xterm,
 * focus moved with xdotool, and get-windows reading which application took focus.
 */
const skip = xToolsMissing() ?? chromiumMissing();

describe.skipIf(skip !== null)('focus monitor under X', () => {
  let x: XDisplay;
  let browser: Browser;
  let savedDisplay: string | undefined;

  beforeAll(async () => {
    x = await startXDisplay();
    x.run('xterm', ['-title', 'private notes']);
    x.xdotool('search', '--sync', '--onlyvisible', '--class', 'xterm');
    // get-windows runs xprop, which reads DISPLAY from this process's environment.
    savedDisplay = process.env.DISPLAY;
    process.env.DISPLAY = x.env.DISPLAY;
    browser = await launchChromium(x.env);
  });

  afterAll(async () => {
    await browser?.close();
    x?.stop();
    if (savedDisplay === undefined) delete process.env.DISPLAY;
    else process.env.DISPLAY = savedDisplay;
  });

  async function examWindow(recordTitles: boolean) {
    const events: FocusEvent[] = [];
    const monitor = new FocusMonitor({
      readActive: getWindowsReader(() => activeWindow()),
      now: () => performance.now(),
      recordTitles,
      emit: (event) => events.push(event),
    });
    const page = await browser.newPage();
    // Playwright makes every page believe it has focus; real focus is the point here.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setFocusEmulationEnabled', { enabled: false });
    await page.exposeFunction('vaktFocus', (state: string) =>
      state === 'blur' ? monitor.blurred() : monitor.focused(),
    );
    await page.setContent('<title>Exam</title><h1>Exam</h1>');
    await page.evaluate(`
      window.addEventListener('blur', () => void window.vaktFocus('blur'));
      window.addEventListener('focus', () => void window.vaktFocus('focus'));
    `);
    await focusExam(page);
    return { events, page };
  }

  const activate = (windowClass: string) =>
    x.xdotool('search', '--sync', '--onlyvisible', '--class', windowClass, 'windowactivate');

  /** Gives the exam window focus as a candidate would: activate it and click into the page. */
  async function focusExam(page: Page) {
    activate('chromium');
    await page.bringToFront();
    x.xdotool(
      'search',
      '--onlyvisible',
      '--class',
      'chromium',
      'mousemove',
      '--window',
      '%1',
      '300',
      '300',
      'click',
      '1',
    );
    await page.waitForFunction('document.hasFocus()', null, { timeout: 15_000 });
  }

  it('reports the application that took focus and the time away, without its title', async () => {
    const { events, page } = await examWindow(false);
    events.length = 0;

    activate('xterm');
    await until(() => events.some((event) => event.kind === 'focus.lost'), 'focus.lost');
    await new Promise((resolve) => setTimeout(resolve, 400));
    await focusExam(page);
    await until(() => events.some((event) => event.kind === 'focus.regained'), 'focus.regained');

    expect(events[0]).toEqual({ kind: 'focus.lost', payload: { app: 'XTerm' } });
    expect(events[1]?.kind).toBe('focus.regained');
    const { durationMs } = events[1]!.payload as { durationMs: number };
    expect(durationMs).toBeGreaterThanOrEqual(300);
    expect(durationMs).toBeLessThan(15_000);
    expect(JSON.stringify(events)).not.toContain('private notes');
    await page.close();
  });

  it('records the window title only when the policy turns titles on', async () => {
    const { events, page } = await examWindow(true);
    events.length = 0;
    activate('xterm');
    await until(() => events.some((event) => event.kind === 'focus.lost'), 'focus.lost');
    expect(events[0]).toEqual({
      kind: 'focus.lost',
      payload: { app: 'XTerm', title: 'private notes' },
    });
    await focusExam(page);
    await page.close();
  });
});
