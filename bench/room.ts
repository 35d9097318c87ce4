import type { Page } from 'playwright-core';

import { CLIENT_ROUTES, type HeartbeatResponse } from '../src/common/api';
import { configKeyRequestHash, CONFIG_KEY_HEADER } from '../src/common/config-key';
import { offlineAfterMs } from '../src/common/liveness';
import { httpFrom } from '../test/support/net';

import type { Sim } from './harness';
import { quantile, report } from './report';

/** How many laptops go quiet for the "offline noticed" figure. */
const SILENT = 20;

/**
 * Running the room, timed (part of the dashboard benchmark): every candidate's laptop beats at
 * the exam's interval, each at its own phase; the invigilator selects everyone shown and
 * pauses the room in the page. Figures: the room action's request, and from the confirming
 * click to each laptop's heartbeat carrying the pause (p50/p99/max: within one heartbeat is
 * the goal). Then SILENT laptops stop beating: from each one's last heartbeat to its row
 * showing Offline on the open page (the server's silence sweep, then the live stream).
 */
export async function benchRoom(
  page: Page,
  base: string,
  key: string,
  sims: (Sim & { address: string })[],
  heartbeatIntervalMs: number,
  label: string,
): Promise<void> {
  let pauseSentAt: number | null = null;
  const reached = new Map<string, number>();
  const lastBeat = new Map<string, number>();
  const silenced = new Set(sims.slice(0, SILENT).map((sim) => sim.candidateNumber));
  let silent = false;
  let errors = 0;

  const beat = async (sim: Sim & { address: string }) => {
    if (silent && silenced.has(sim.candidateNumber)) return;
    const response = await httpFrom(sim.address, `${base}${CLIENT_ROUTES.heartbeat}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${sim.token}`,
        [CONFIG_KEY_HEADER]: configKeyRequestHash(base, CLIENT_ROUTES.heartbeat, key),
      },
      body: { journalId: sim.journalId, headSeq: sim.records.length, status: 'in-progress' },
    });
    if (response.status !== 200) throw new Error(`heartbeat answered ${response.status}`);
    const now = Date.now();
    lastBeat.set(sim.candidateNumber, now);
    const reply = JSON.parse(response.body) as HeartbeatResponse;
    if (
      pauseSentAt !== null &&
      !reached.has(sim.candidateNumber) &&
      reply.instructions.some((instruction) => instruction.kind === 'pause')
    ) {
      reached.set(sim.candidateNumber, now - pauseSentAt);
    }
  };
  const timers = sims.map((sim) =>
    setTimeout(() => {
      void beat(sim).catch(() => (errors += 1));
      timers.push(
        setInterval(() => void beat(sim).catch(() => (errors += 1)), heartbeatIntervalMs),
      );
    }, Math.random() * heartbeatIntervalMs),
  );

  try {
    await new Promise((resolve) => setTimeout(resolve, heartbeatIntervalMs));
    await page.getByLabel('Search by name or candidate number').fill('');
    await page.getByText(`${sims.length} candidates shown of`).waitFor({ timeout: 60_000 });
    await page.locator('thead input[type=checkbox]').check();
    await page.getByText(`${sims.length} candidates selected.`).waitFor();
    await page.locator('.room-actions').getByRole('button', { name: 'Pause', exact: true }).click();
    const yes = page.getByRole('button', { name: `Yes, for ${sims.length} candidates` });
    pauseSentAt = Date.now();
    await yes.click();
    await page.locator('.room-actions [role=status]').waitFor({ timeout: 120_000 });
    report('dashboard', `${label}-room-pause-request`, Date.now() - pauseSentAt, 'ms');

    const deadline = Date.now() + 3 * heartbeatIntervalMs + 60_000;
    while (reached.size < sims.length && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const delays = [...reached.values()];
    report('dashboard', `${label}-room-pause-reached`, reached.size, `of ${sims.length} laptops`);
    report('dashboard', `${label}-room-pause-to-laptop-p50`, quantile(delays, 0.5), 'ms');
    report('dashboard', `${label}-room-pause-to-laptop-p99`, quantile(delays, 0.99), 'ms');
    report('dashboard', `${label}-room-pause-to-laptop-max`, Math.max(...delays), 'ms');
    report('dashboard', `${label}-heartbeat-interval`, heartbeatIntervalMs, 'ms');

    // Offline noticed: the Offline filter shows a row the moment the page hears it went quiet.
    await page.locator('.toolbar select').selectOption('offline');
    await page.evaluate(`
      globalThis.offlineStamps = {};
      new MutationObserver(() => {
        for (const row of document.querySelectorAll('tr[data-candidate]')) {
          const candidate = row.getAttribute('data-candidate');
          if (!(candidate in globalThis.offlineStamps)) globalThis.offlineStamps[candidate] = Date.now();
        }
      }).observe(document.querySelector('tbody'), { subtree: true, childList: true });
    `);
    silent = true;
    const waitUntil =
      Date.now() + offlineAfterMs(heartbeatIntervalMs) + heartbeatIntervalMs + 30_000;
    let stamps: Record<string, number> = {};
    while (Date.now() < waitUntil) {
      stamps = await page.evaluate<Record<string, number>>('globalThis.offlineStamps');
      if ([...silenced].every((candidate) => candidate in stamps)) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const noticed = [...silenced]
      .filter((candidate) => candidate in stamps)
      .map((candidate) => stamps[candidate]! - lastBeat.get(candidate)!);
    report('dashboard', `${label}-offline-noticed`, noticed.length, `of ${SILENT} silent laptops`);
    report('dashboard', `${label}-silence-to-offline-row-p50`, quantile(noticed, 0.5), 'ms');
    report('dashboard', `${label}-silence-to-offline-row-p99`, quantile(noticed, 0.99), 'ms');
    report(
      'dashboard',
      `${label}-offline-rule`,
      offlineAfterMs(heartbeatIntervalMs),
      'ms of silence (3 heartbeats + grace)',
    );
    report('dashboard', `${label}-room-heartbeat-errors`, errors, 'heartbeats');
  } finally {
    for (const timer of timers) clearTimeout(timer);
  }
}
