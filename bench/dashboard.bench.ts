import { performance } from 'node:perf_hooks';

import type { Page } from 'playwright-core';

import { CLIENT_ROUTES } from '../src/common/api';
import { configKey, configKeyRequestHash, CONFIG_KEY_HEADER } from '../src/common/config-key';
import type { EventKind, EventPayload } from '../src/common/events';
import { chainRecord } from '../src/common/journal-record';
import { launchChromium } from '../test/support/chromium';
import { httpFrom } from '../test/support/net';

import {
  benchDatabase,
  BENCH_STAFF_PASSWORD,
  cpuSeconds,
  seedCandidates,
  startServer,
  type Sim,
} from './harness';
import { quantile, report } from './report';
import { benchRoom } from './room';

/**
 * The invigilator dashboard in Chromium against a server process on SQLite with 1,000 and
 * 5,000 signed-in candidates, while a background of candidates posts records (each a live
 * event) at VAKT_BENCH_EVENTS_PER_SECOND: time from a record's acknowledgement to its row
 * changing in the dashboard (p50/p99; the row is brought into view by the search box, as an
 * invigilator would), the table's first load and a re-sort of every row, and the server's CPU
 * with and without the dashboard connected; then the room (bench/room.ts): a pause for every
 * candidate reaching their laptops, and silent laptops turning offline on the open page. Run
 * `npm run build` first.
 */
const SIZES = (process.env.VAKT_BENCH_DASHBOARD_SIZES ?? '1000,5000').split(',').map(Number);
const EVENTS_PER_SECOND = Number(process.env.VAKT_BENCH_EVENTS_PER_SECOND ?? 50);
const SAMPLES = Number(process.env.VAKT_BENCH_DASHBOARD_SAMPLES ?? 60);
const CPU_SECONDS = 10;

/**
 * Each candidate's own loopback address (127.1.x.y): an unverified token is rate-limited per
 * address, and Chromium's requests come from 127.0.0.1.
 */
type Candidate = Sim & { address: string };
const addressOf = (index: number) => `127.1.${Math.floor(index / 250)}.${(index % 250) + 1}`;

const browser = await launchChromium();
try {
  for (const size of SIZES) await benchSize(size);
} finally {
  await browser.close();
}

async function benchSize(size: number): Promise<void> {
  const { db, exam } = await benchDatabase('sqlite');
  const sims = (await seedCandidates(db.storage, exam, size, 0)).map((sim, index) => ({
    ...sim,
    address: addressOf(index),
  }));
  const server = await startServer(db, 'sqlite');
  const key = configKey(exam.policy);
  const label = `${size}-candidates`;

  /** Posts one record for `sim`; resolves at the acknowledgement (Date.now()). */
  const post = async <K extends EventKind>(sim: Candidate, kind: K, payload: EventPayload<K>) => {
    const record = chainRecord(sim.records.at(-1) ?? null, {
      kind,
      at: Date.now(),
      mono: Math.round(performance.now()),
      payload,
    });
    sim.records.push(record);
    const response = await httpFrom(sim.address, `${server.base}${CLIENT_ROUTES.records}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${sim.token}`,
        [CONFIG_KEY_HEADER]: configKeyRequestHash(server.base, CLIENT_ROUTES.records, key),
      },
      body: { journalId: sim.journalId, records: [record] },
    });
    if (response.status !== 200) throw new Error(`upload answered ${response.status}`);
    return Date.now();
  };

  // Every candidate live first: one heartbeat each, so tokens are verified before timing.
  for (let i = 0; i < sims.length; i += 50) {
    await Promise.all(
      sims.slice(i, i + 50).map((sim) =>
        httpFrom(sim.address, `${server.base}${CLIENT_ROUTES.heartbeat}`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${sim.token}`,
            [CONFIG_KEY_HEADER]: configKeyRequestHash(server.base, CLIENT_ROUTES.heartbeat, key),
          },
          body: { journalId: sim.journalId, headSeq: 0, status: 'in-progress' },
        }),
      ),
    );
  }

  // Background: answers saved by candidates other than the sampled ones, evenly spread.
  const background = sims.slice(SAMPLES);
  let next = 0;
  let errors = 0;
  const ticker = setInterval(() => {
    for (let i = 0; i < EVENTS_PER_SECOND / 10; i += 1) {
      const sim = background[next++ % background.length]!;
      post(sim, 'answer.saved', {
        questionId: 'q2',
        value: { type: 'short-text', text: `answer ${sim.records.length}` },
      }).catch(() => (errors += 1));
    }
  }, 100);

  try {
    const cpuWithout = await serverCpu(server.process.pid!);

    const page = await browser.newPage({ locale: 'en-GB', viewport: { width: 1400, height: 900 } });
    await page.goto(`${server.base}/dashboard/`);
    await page.locator('input[name=email]').fill('bench@vakt.test');
    await page.locator('input[name=password]').fill(BENCH_STAFF_PASSWORD);
    await page.locator('form.sign-in button[type=submit]').click();
    const loadStarted = Date.now();
    await page.getByRole('link', { name: 'TEST-1' }).click();
    await page.getByText(`${size} candidates shown of ${size}`).waitFor({ timeout: 120_000 });
    report('dashboard', `${label}-open-exam-to-full-table`, Date.now() - loadStarted, 'ms');

    // Timed in the page, from the click to the frame after the table shows the new order.
    const resort = await page.evaluate<number>(`new Promise((resolve) => {
      const button = [...document.querySelectorAll('th button')]
        .find((b) => b.textContent.startsWith('Number'));
      const started = performance.now();
      button.click();
      const check = () =>
        document.querySelector('th[aria-sort=ascending]')
          ? requestAnimationFrame(() => resolve(performance.now() - started))
          : requestAnimationFrame(check);
      check();
    })`);
    report('dashboard', `${label}-re-sort-every-row`, resort, 'ms');

    // The page's main thread while live updates stream in: time spent in long tasks (> 50 ms).
    await page.evaluate(`
      globalThis.longTasks = { busy: 0, count: 0 };
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) {
          globalThis.longTasks.busy += entry.duration;
          globalThis.longTasks.count += 1;
        }
      }).observe({ type: 'longtask' });
    `);
    const cpuWith = await serverCpu(server.process.pid!);
    const longTasks = await page.evaluate<{ busy: number; count: number }>('globalThis.longTasks');
    report(
      'dashboard',
      `${label}-page-busy-in-long-tasks`,
      (longTasks.busy / (CPU_SECONDS * 1000)) * 100,
      '% of the main thread',
    );
    report('dashboard', `${label}-page-long-tasks`, longTasks.count / CPU_SECONDS, 'per second');
    report('dashboard', `${label}-server-cpu-without-dashboard`, cpuWithout, '% of one core');
    report('dashboard', `${label}-server-cpu-with-dashboard`, cpuWith, '% of one core');

    const delays = await sampleDelays(page, sims.slice(0, SAMPLES), post);
    report('dashboard', `${label}-ack-to-row-p50`, quantile(delays, 0.5), 'ms');
    report('dashboard', `${label}-ack-to-row-p99`, quantile(delays, 0.99), 'ms');
    report('dashboard', `${label}-background-events`, EVENTS_PER_SECOND, 'events/s');
    report('dashboard', `${label}-background-errors`, errors, 'uploads');
    await benchRoom(page, server.base, key, sims, exam.policy.heartbeatIntervalMs, label);
    await page.close();
  } finally {
    clearInterval(ticker);
    await server.stop();
    await db.cleanup();
  }
}

/** The server's CPU over CPU_SECONDS, as a share of one core. */
async function serverCpu(pid: number): Promise<number> {
  const before = cpuSeconds(() => [pid]);
  await new Promise((resolve) => setTimeout(resolve, CPU_SECONDS * 1000));
  return ((cpuSeconds(() => [pid]) - before) / CPU_SECONDS) * 100;
}

/**
 * For each sampled candidate: find them with the search box, post a flag, and time from the
 * acknowledgement to the row's flags cell changing (a MutationObserver stamps the change).
 */
async function sampleDelays(
  page: Page,
  samples: Candidate[],
  post: (
    sim: Candidate,
    kind: 'network.offline',
    payload: EventPayload<'network.offline'>,
  ) => Promise<number>,
): Promise<number[]> {
  // A string, not a function: this file is type-checked for Node, without the DOM.
  await page.evaluate(`
    const stamps = {};
    globalThis.flagStamps = stamps;
    // The search keeps a handful of rows in the DOM, so each change looks at all of them.
    new MutationObserver(() => {
      const now = Date.now();
      for (const row of document.querySelectorAll('tr[data-candidate]')) {
        const candidate = row.getAttribute('data-candidate');
        if (row.textContent.includes('1 low') && !(candidate in stamps)) stamps[candidate] = now;
      }
    }).observe(document.querySelector('tbody'), {
      subtree: true,
      childList: true,
      characterData: true,
    });
  `);
  const search = page.getByLabel('Search by name or candidate number');
  const delays: number[] = [];
  for (const sim of samples) {
    await search.fill(sim.candidateNumber);
    await page.locator(`tr[data-candidate="${sim.candidateNumber}"]`).waitFor();
    const acked = await post(sim, 'network.offline', {});
    await page.waitForFunction(
      (candidate) =>
        candidate in (globalThis as unknown as { flagStamps: Record<string, number> }).flagStamps,
      sim.candidateNumber,
      { timeout: 30_000 },
    );
    const changed = await page.evaluate(
      (candidate) =>
        (globalThis as unknown as { flagStamps: Record<string, number> }).flagStamps[candidate]!,
      sim.candidateNumber,
    );
    delays.push(changed - acked);
  }
  return delays;
}
