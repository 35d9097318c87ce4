import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { HeartbeatResponse } from '../../src/common/api';
import { offlineAfterMs } from '../../src/common/liveness';
import { insertCandidate } from '../../src/server/repositories/candidates';
import { chromiumMissing } from '../support/chromium';
import {
  LANGUAGES,
  SCREENS,
  screen,
  startDashboard,
  type DashboardUnderTest,
  type Language,
} from '../support/dashboard';
import { ExamClient } from '../support/exam-client';

const WORDS = {
  en: {
    selected: '2 candidates selected.',
    pause: 'Pause',
    yes: 'Yes, for 2 candidates',
    answered: 'Answered',
    none: 'No hands raised.',
    codes: 'New codes and slips',
  },
  nb: {
    selected: '2 kandidater valgt.',
    pause: 'Pause',
    yes: 'Ja, for 2 kandidater',
    answered: 'Besvart',
    none: 'Ingen hender oppe.',
    codes: 'Nye koder og lapper',
  },
  nn: {
    selected: '2 kandidatar valde.',
    pause: 'Pause',
    yes: 'Ja, for 2 kandidatar',
    answered: 'Svart',
    none: 'Ingen hender oppe.',
    codes: 'Nye kodar og lappar',
  },
} as const satisfies Record<Language, unknown>;

/**
 * Running a room from the exam page: select candidates (all shown, or a shift-click range),
 * pause them in one confirmed action, see who it reached; and a laptop that falls silent
 * turns offline on the open page, without a reload.
 */
describe.skipIf(chromiumMissing() !== null)('the dashboard runs a room', () => {
  let dashboard: DashboardUnderTest;
  let clients: ExamClient[];

  beforeAll(async () => {
    dashboard = await startDashboard();
    const { server, url } = dashboard;
    clients = [
      new ExamClient(
        server.app,
        { examCode: 'TEST-1', candidateNumber: '1001', personalCode: 'secret-1' },
        url,
      ),
      new ExamClient(
        server.app,
        { examCode: 'TEST-1', candidateNumber: '1002', personalCode: 'secret-2' },
        url,
      ),
    ];
    for (const client of clients) {
      await client.signIn();
      await client.fetchPackage();
      await client.heartbeat();
    }
  }, 60_000);

  afterAll(() => dashboard?.close());

  it.each(LANGUAGES)('pauses and resumes the whole room in %s', async (language) => {
    const words = WORDS[language];
    const page = await dashboard.signedIn('admin@vakt.test', language);
    await page.goto(`${dashboard.url}/dashboard/#/exams/${dashboard.server.exam.id}`);
    await page.locator('tr[data-candidate="1002"]').waitFor();

    // Every candidate shown, with the box in the header.
    await page.locator('thead input[type=checkbox]').check();
    await page.getByText(words.selected).waitFor();
    await page
      .locator('.room-actions')
      .getByRole('button', { name: words.pause, exact: true })
      .click();
    await page.getByRole('button', { name: words.yes }).waitFor();
    await screen(page, `${language}-room-confirm`);
    await page.getByRole('button', { name: words.yes }).click();
    await page.locator('.room-actions [role=status]').waitFor();
    await screen(page, `${language}-room-sent`);

    // Each laptop's next heartbeat carries the pause (after what it has not applied yet: these
    // simulated laptops never do).
    for (const client of clients) {
      const reply = (await client.heartbeat()).json<HeartbeatResponse>();
      expect(reply.instructions.at(-1)?.kind).toBe('pause');
    }

    // A shift-click range selects the same two; resume them.
    await page.locator('thead input[type=checkbox]').uncheck();
    await page.locator('tr[data-candidate="1001"] input[type=checkbox]').click();
    await page
      .locator('tr[data-candidate="1002"] input[type=checkbox]')
      .click({ modifiers: ['Shift'] });
    await page.getByText(words.selected).waitFor();
    await page.locator('.room-actions button').nth(2).click(); // Resume
    await page.locator('.room-actions .confirm button').first().click();
    await page.locator('.room-actions [role=status]').waitFor();
    const pending = await dashboard.db.storage.db
      .selectFrom('instructions')
      .select('kind')
      .where('kind', '=', 'resume')
      .execute();
    expect(pending.length).toBe(2 * (LANGUAGES.indexOf(language) + 1));
    await page.context().close();
  });

  it.each(LANGUAGES)(
    'shows a raised hand on the open page, and answers it, in %s',
    async (language) => {
      const words = WORDS[language];
      const page = await dashboard.signedIn('admin@vakt.test', language);
      await page.goto(`${dashboard.url}/dashboard/#/exams/${dashboard.server.exam.id}`);
      await page.getByText(words.none).waitFor();

      const client = clients[1]!;
      const text = `Can I get more paper? (${language})`;
      client.append('hand.raised', { text });
      // Everything from the start: what the server has is acknowledged again, the rest stored.
      expect((await client.sync([...client.records])).statusCode).toBe(200);
      const hand = page.locator('.raised-hands li', { hasText: text });
      await hand.waitFor();
      await page.locator('tr[data-candidate="1002"] .hand-up').waitFor();
      await screen(page, `${language}-room-hand`);

      await hand.getByRole('button', { name: words.answered }).click();
      await page.getByText(words.none).waitFor();
      const reply = (await client.heartbeat()).json<HeartbeatResponse>();
      expect(reply.instructions.map((instruction) => instruction.kind)).toContain('hand-answered');
      await page.context().close();
    },
  );

  it.each(LANGUAGES)(
    'gives a selection new codes and prints one A4 sign-in slip each, in %s',
    async (language) => {
      const words = WORDS[language];
      const page = await dashboard.signedIn('admin@vakt.test', language);
      await page.goto(`${dashboard.url}/dashboard/#/exams/${dashboard.server.exam.id}`);
      await page.locator('tr[data-candidate="1002"]').waitFor();
      await page.locator('thead input[type=checkbox]').check();
      await page.getByText(words.selected).waitFor();
      await page.getByRole('button', { name: words.codes }).click();
      await page.getByRole('button', { name: words.yes }).click();
      const slips = page.locator('.slip');
      await expect.poll(() => slips.count()).toBe(2);
      await screen(page, `${language}-room-slips`);
      const code = await slips.first().locator('.code').textContent();
      expect(code).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{2}$/);

      // Printed: the slips alone, a page each.
      await page.emulateMedia({ media: 'print' });
      const pdf = await page.pdf({
        format: 'A4',
        path: `${SCREENS}/dashboard-${language}-room-slips.pdf`,
      });
      expect(pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)).toHaveLength(2);
      await page.context().close();
    },
  );

  it('turns a silent laptop offline on an open page, and back when it beats again', async () => {
    const { server } = dashboard;
    const page = await dashboard.signedIn('admin@vakt.test');
    await page.goto(`${dashboard.url}/dashboard/#/exams/${server.exam.id}`);
    const row = page.locator('tr[data-candidate="1001"]');
    await row.getByText('In progress').waitFor();

    // Candidate 1002 keeps beating; 1001 goes quiet past three missed heartbeats.
    server.clock.now += offlineAfterMs(server.exam.policy.heartbeatIntervalMs) + 1;
    await clients[1]!.heartbeat();
    await row.getByText('Offline').waitFor();
    await page.locator('tr[data-candidate="1002"]').getByText('In progress').waitFor();
    await screen(page, 'en-room-offline');

    await clients[0]!.heartbeat();
    await row.getByText('In progress').waitFor();
    await page.context().close();
  });

  it('says in words what keeps a candidate in the checks', async () => {
    const { server, db, url } = dashboard;
    await insertCandidate(db.storage.db, server.exam.id, {
      candidateNumber: '1003',
      name: 'Nils',
      personalCode: 'secret-3',
    });
    const stuck = new ExamClient(
      server.app,
      { examCode: 'TEST-1', candidateNumber: '1003', personalCode: 'secret-3' },
      url,
    );
    await stuck.signIn();
    await stuck.fetchPackage();
    stuck.append('preflight.blocked', {
      blockers: [
        { code: 'program', name: 'Discord' },
        { code: 'too-many-displays', connected: 2, allowed: 1 },
      ],
    });
    expect((await stuck.sync([...stuck.records])).statusCode).toBe(200);
    await stuck.heartbeat(stuck.records.length, 'preflight');
    const words = {
      en: 'Waiting on: close Discord; 2 displays connected, 1 allowed',
      nb: 'Venter på: lukk Discord; 2 skjermer tilkoblet, 1 tillatt',
      nn: 'Ventar på: lukk Discord; 2 skjermar kopla til, 1 tillatne',
    } as const satisfies Record<Language, string>;
    for (const language of LANGUAGES) {
      const page = await dashboard.signedIn('admin@vakt.test', language);
      await page.goto(`${url}/dashboard/#/exams/${server.exam.id}`);
      await page.locator('tr[data-candidate="1003"]').getByText(words[language]).waitFor();
      await screen(page, `${language}-room-checks`);
      await page.context().close();
    }
  });

  it('shows the battery and network of each laptop, and finds the low ones', async () => {
    const { server } = dashboard;
    await clients[0]!.heartbeat(undefined, 'in-progress', {
      battery: { level: 18, charging: false },
      network: 'wifi',
    });
    await clients[1]!.heartbeat(undefined, 'in-progress', {
      battery: { level: 64, charging: true },
      network: 'wired',
    });
    // A battery at 150 % is refused, and the row keeps what it had.
    const refused = await clients[0]!.heartbeat(undefined, 'in-progress', {
      battery: { level: 150, charging: false },
      network: 'wifi',
    });
    expect(refused.statusCode).toBe(400);

    const page = await dashboard.signedIn('admin@vakt.test');
    await page.goto(`${dashboard.url}/dashboard/#/exams/${server.exam.id}`);
    await page
      .locator('tr[data-candidate="1001"] .battery-low')
      .getByText('18 % · Wi-Fi')
      .waitFor();
    await page.locator('tr[data-candidate="1002"]').getByText('64 %, charging · wired').waitFor();
    await page.locator('.toolbar select').selectOption('low-battery');
    await expect.poll(() => page.locator('tbody tr[data-candidate]').count()).toBe(1);
    await page.locator('tr[data-candidate="1001"]').waitFor();
    await screen(page, 'en-room-battery');
    await page.context().close();
  });
});
