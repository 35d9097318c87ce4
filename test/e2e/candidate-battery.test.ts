import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { STAFF_API_PREFIX, type CandidateRow } from '../../src/common/staff-api';
import { insertCandidate } from '../../src/server/repositories/candidates';
import { chromiumMissing, launchChromium } from '../support/chromium';
import {
  CANDIDATE_SCREENS,
  candidateScreen,
  demoServer,
  previewFor,
  signInOn,
} from '../support/preview';
import { staffCookie } from '../support/staff';

/**
 * A laptop running out of power, read from a fake /sys/class the preview is pointed at: the
 * candidate is warned at 19 % and, more urgently, at 9 %, not while charging; the invigilator's
 * row says the battery and Wi-Fi.
 */
describe.skipIf(chromiumMissing() !== null)('a laptop low on battery', () => {
  let server: Awaited<ReturnType<typeof demoServer>>;
  let browser: Browser;
  let sys: string;

  beforeAll(async () => {
    await mkdir(CANDIDATE_SCREENS, { recursive: true });
    server = await demoServer();
    browser = await launchChromium();
    sys = await mkdtemp(join(tmpdir(), 'vakt-sys-'));
    for (const dir of ['power_supply/BAT0', 'net/wlan0/device', 'net/wlan0/wireless']) {
      await mkdir(join(sys, dir), { recursive: true });
    }
    await writeFile(join(sys, 'power_supply/BAT0/type'), 'Battery\n');
    await writeFile(join(sys, 'net/wlan0/operstate'), 'up\n');
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await rm(sys, { recursive: true, force: true });
  });

  const battery = async (level: number, status: string) => {
    await writeFile(join(sys, 'power_supply/BAT0/capacity'), `${level}\n`);
    await writeFile(join(sys, 'power_supply/BAT0/status'), `${status}\n`);
  };

  it('warns at 19 % and at 9 %, and the invigilator sees the battery', async () => {
    await battery(19, 'Discharging');
    const candidate = await insertCandidate(server.db.storage.db, server.demoExamId, {
      candidateNumber: '601',
      name: 'Low Battery',
      personalCode: 'low-battery',
    });
    const preview = await previewFor(server, {
      deviceRoot: sys,
      deviceReadMs: 200,
      tuning: { heartbeatIntervalMs: 300, baseDelayMs: 20, maxDelayMs: 200 },
    });
    const page = await browser.newPage({ bypassCSP: true });
    const { cookie } = await staffCookie(server.app, server.db.storage, 'b@vakt.test', 'admin');
    const row = async () =>
      (
        await server.app.inject({
          url: `${STAFF_API_PREFIX}/exams/${server.demoExamId}/candidates?ids=${candidate.id}`,
          headers: { cookie },
        })
      ).json<{ candidates: CandidateRow[] }>().candidates[0];
    try {
      await page.goto(preview.server.url);
      await signInOn(page, 'DEMO-1', '601', 'low-battery');
      await page.getByRole('button', { name: 'Start the exam' }).click();
      const warning = page.locator('.battery-warning');
      await warning.getByText('Battery 19 %. Plug in your charger.').waitFor();
      expect(await page.locator('.exam-header [role=status]').allTextContents()).toContain(
        'Plug in your charger.',
      );
      await candidateScreen(page, 'en-battery-19');
      await expect
        .poll(async () => {
          const seen = await row();
          return seen && { battery: seen.battery, network: seen.network };
        })
        .toEqual({ battery: { level: 19, charging: false }, network: 'wifi' });

      await battery(9, 'Discharging');
      await page.locator('.battery-warning.last').waitFor();
      expect(await page.locator('.exam-header [role=alert]').allTextContents()).toContain(
        'Plug in your charger now, or tell the invigilator. Your answers are saved.',
      );
      await candidateScreen(page, 'en-battery-9');

      // Plugged in: the warning goes.
      await battery(9, 'Charging');
      await warning.waitFor({ state: 'hidden' });
    } finally {
      await page.close();
      await preview.close();
    }
  }, 120_000);
});
