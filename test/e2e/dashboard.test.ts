import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { answersHash, type Instruction } from '../../src/common/api';
import { DEFAULT_SCHOOL_YEAR_END, runRetention } from '../../src/server/privacy/retention';
import { findExamByCode } from '../../src/server/repositories/exams';
import { createStaffUser } from '../../src/server/repositories/staff';
import { DASHBOARD_CSP } from '../../src/server/routes/dashboard';
import { chromiumMissing, launchChromium } from '../support/chromium';
import {
  DASHBOARD,
  SCREENS,
  screen,
  startDashboard,
  type DashboardUnderTest,
  type Language,
} from '../support/dashboard';
import { freshStorage, type TestStorage } from '../support/databases';
import { ExamClient } from '../support/exam-client';
import { undeliveredHandover } from '../support/handovers';
import { freePort } from '../support/net';
import { testServer, TEST_EXAM, type TestServer } from '../support/server';
import { STAFF_PASSWORD } from '../support/staff';

/**
 * The invigilator dashboard in real Chromium against a real server on loopback, with
 * simulated candidates posting records over the candidate API: sign in, watch a candidate go
 * live, review a flag, lock and see it applied, the CSV and the printed report, what an
 * invigilator of another exam is refused; axe-core and a screenshot of each step under
 * test-results/screens/ (every page in every language: dashboard-pages.test.ts).
 */
describe.skipIf(chromiumMissing() !== null)('the invigilator dashboard', () => {
  let db: TestStorage;
  let server: TestServer;
  let url: string;
  let dashboard: DashboardUnderTest;
  const signedIn = (email: string, language?: Language) => dashboard.signedIn(email, language);

  beforeAll(async () => {
    dashboard = await startDashboard();
    ({ db, server, url } = dashboard);
  }, 60_000);

  afterAll(() => dashboard?.close());

  function candidateClient(): ExamClient {
    return new ExamClient(
      server.app,
      { examCode: 'TEST-1', candidateNumber: '1001', personalCode: 'secret-1' },
      url,
    );
  }

  it('is served at /dashboard/ under a strict CSP, and / leads there', async () => {
    const root = await fetch(`${url}/`, { redirect: 'manual' });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/dashboard/');
    const page = await fetch(`${url}/dashboard/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(DASHBOARD_CSP);
    expect(await page.text()).toContain('<div id="root"></div>');
  });

  it(
    'lets an invigilator run a sitting: live rows, a reviewed flag, a lock applied, the report',
    {
      timeout: 90_000,
    },
    async () => {
      const page = await signedIn('admin@vakt.test');
      await page.getByRole('link', { name: 'TEST-1' }).click();
      const row = page.locator('tr[data-candidate="1001"]');
      await row.getByText('Not started').waitFor();
      await page.locator('.live', { hasText: 'Live' }).waitFor();
      await screen(page, 'en-2-exam-waiting');

      // A candidate signs in and starts: the row follows without a reload.
      const client = candidateClient();
      await client.signIn();
      await client.fetchPackage();
      await client.heartbeat();
      await row.getByText('In progress').waitFor();
      await client.sync([
        client.append('process.started', {
          name: 'AnyDesk',
          category: 'remote-access',
          action: 'terminate',
        }),
        client.append('answer.saved', {
          questionId: 'q1',
          value: { type: 'single-choice', optionId: 'a' },
        }),
        client.append('focus.regained', { durationMs: 12_000 }),
      ]);
      await row.getByText('1 high, 1 medium, 0 low').waitFor();
      await row.getByText('1 of 2').waitFor();
      await row.getByText('1.0.0 · Linux').waitFor();
      await screen(page, 'en-3-exam-live');

      // The candidate page: the timeline in words, the notice that flags are not sanctions.
      const timelineReads: string[] = [];
      page.on('request', (request) => {
        const read = new URL(request.url());
        if (read.pathname.endsWith('/timeline')) timelineReads.push(read.search);
      });
      await row.getByRole('link', { name: '1001' }).click();
      await page.getByRole('heading', { name: 'Candidate 1001: Kari' }).waitFor();
      await page.getByText('Program started: AnyDesk (remote access)', { exact: true }).waitFor();
      await page
        .getByText('Flags are evidence for a person to weigh, never a sanction.', {
          exact: false,
        })
        .waitFor();
      await screen(page, 'en-4-candidate');
      timelineReads.length = 0;

      // An admin downloads everything held about the candidate (subject access).
      const [subjectFile] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: /Download everything held about this candidate/ }).click(),
      ]);
      const exported = JSON.parse(await readFile(await subjectFile.path(), 'utf8')) as {
        data: { candidates: { name: string }[] };
      };
      expect(exported.data.candidates).toEqual([expect.objectContaining({ name: 'Kari' })]);

      // Review the AnyDesk flag: who decided what is shown, and it stops counting.
      const flagRow = page.locator('tr', { hasText: 'Program started: AnyDesk' });
      await flagRow.getByText('Review this flag').click();
      await flagRow.getByLabel('Decision').selectOption('confirm');
      await flagRow.getByLabel('Comment (required)').fill('Seen on screen; spoke to candidate');
      await flagRow.getByRole('button', { name: 'Save review' }).click();
      await flagRow
        .getByText(/Confirmed by admin@vakt\.test .*: Seen on screen; spoke to candidate/)
        .waitFor();
      await page.getByText('0 high, 1 medium, 0 low · 1 reviewed').waitFor();

      // The rest ticked and reviewed together, with one comment.
      await page.getByLabel('Review with others').first().check();
      const many = page.locator('form.review-many');
      await many.getByRole('heading', { name: 'Review 1 ticked flag' }).waitFor();
      await many.getByLabel('Comment (required)').fill('Looked at with the candidate');
      await many.getByRole('button', { name: 'Save review' }).click();
      await page.getByText('0 high, 0 medium, 0 low · 2 reviewed').waitFor();

      // Lock with a reason: sent, then applied once the laptop's heartbeat carried it.
      await page.getByLabel('Reason shown to the candidate').fill('Please come to the front desk');
      await page.getByRole('button', { name: 'Lock', exact: true }).click();
      const lockLine = page.locator('.instructions li', { hasText: 'Lock' });
      await lockLine.getByText('not applied yet').waitFor();
      await screen(page, 'en-5-candidate-lock-sent');
      const beat = (await client.heartbeat()).json<{ instructions: Instruction[] }>();
      expect(beat.instructions).toEqual([
        expect.objectContaining({ kind: 'lock', reason: 'Please come to the front desk' }),
      ]);
      const lock = beat.instructions[0]!;
      client.append('lock.engaged', { by: 'invigilator' });
      client.append('instruction.applied', { id: lock.id, kind: 'lock' });
      // Everything from the start: what the server has is acknowledged again, the rest stored.
      expect((await client.sync([...client.records])).statusCode).toBe(200);
      await client.heartbeat(client.records.length, 'locked');
      // In British order (day first, 24-hour clock), never the US one ("6/1/27, 9:00:00 AM").
      await lockLine.getByText(/— applied \d{2}\/\d{2}\/\d{4}, \d{2}:\d{2}:\d{2}$/).waitFor();
      await page.locator('.summary').getByText('Locked').waitFor();
      await page.getByText('Exam locked', { exact: true }).waitFor();
      await screen(page, 'en-6-candidate-locked');
      // Once shown, the timeline was never read whole again: only what changed was asked for.
      expect(timelineReads.length).toBeGreaterThan(0);
      expect(timelineReads.filter((query) => !query.startsWith('?since='))).toEqual([]);

      // The candidate hands in: the receipt's hash on the page, the status "Submitted".
      const sealed = answersHash({ q1: { type: 'single-choice', optionId: 'a' } });
      client.append('submission.sealed', { answersHash: sealed, headSeq: client.records.length });
      expect((await client.sync([...client.records])).statusCode).toBe(200);
      await page.locator('.summary').getByText('Submitted', { exact: true }).waitFor();
      await page.locator('.summary code.hash').getByText(sealed.slice(0, 16)).waitFor();

      // The incident report: the CSV's rows, and the page Chromium prints.
      await page.goto(`${url}/dashboard/#/exams/${server.exam.id}/report`);
      await page.getByRole('heading', { name: /Incident report: TEST-1/ }).waitFor();
      // For a spreadsheet: made in the page, in the staff member's words, with a BOM.
      const sheet = page.waitForEvent('download');
      await page.getByRole('button', { name: 'Download for a spreadsheet' }).click();
      const sheetBytes = await readFile(await (await sheet).path());
      expect([...sheetBytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const sheetLines = sheetBytes.subarray(3).toString('utf8').split('\r\n');
      expect(sheetLines[0]).toMatch(/^Number,Name,Time \(Europe\/Oslo\),Severity,Event,Program/);
      expect(sheetLines[1]).toContain('High,Program started: AnyDesk (remote access),AnyDesk');
      // The machine format for scripts: codes, UTC and JSON, as before.
      const download = page.waitForEvent('download');
      await page.getByRole('link', { name: /Machine-readable CSV/ }).click();
      const csv = await readFile(await (await download).path(), 'utf8');
      const lines = csv.trimEnd().split('\r\n');
      expect(lines[0]).toMatch(/^"candidate_number","name","received_at","severity","event"/);
      expect(lines.slice(1)).toEqual([
        expect.stringMatching(
          /^"1001","Kari",".*","high","process\.started","client",".*AnyDesk.*","confirm","admin@vakt\.test",".*","Seen on screen; spoke to candidate"$/,
        ),
        expect.stringMatching(
          /^"1001","Kari",".*","medium","focus\.regained",.*"dismiss",.*"Looked at with the candidate"$/,
        ),
      ]);
      await screen(page, 'en-7-report');
      await page.emulateMedia({ media: 'print' });
      await page.screenshot({
        path: join(SCREENS, 'dashboard-en-8-report-print.png'),
        fullPage: true,
      });
      const pdf = await page.pdf({ format: 'A4' });
      await writeFile(join(SCREENS, 'dashboard-report.pdf'), pdf);
      const text = pdf.toString('latin1');
      expect(text.startsWith('%PDF')).toBe(true);
      expect(text.match(/\/Type\s*\/Page\b/g)?.length).toBe(1);
      await page.context().close();
    },
  );

  it('takes a hand-in file from a candidate who could not get online', async () => {
    const offline = new ExamClient(
      server.app,
      { examCode: 'TEST-1', candidateNumber: '1002', personalCode: 'secret-2' },
      url,
    );
    await offline.signIn();
    await offline.fetchPackage();
    offline.append('network.offline', {});
    offline.append('answer.saved', {
      questionId: 'q2',
      value: { type: 'short-text', text: 'written offline' },
    });
    const file = offline.handInFile(server.exam.id, server.keys.handIn.publicKey);

    const page = await signedIn('admin@vakt.test');
    await page.goto(`${url}/dashboard/#/exams/${server.exam.id}`);
    await page.getByText('Hand-in files').click();
    await page.getByLabel('Hand-in file', { exact: true }).setInputFiles({
      name: '1002.vakt',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(file)),
    });
    await page.getByText('Stored 2 new records.').waitFor();
    await page.locator('tr[data-candidate="1002"]').getByText('1 of 2').waitFor();
    await screen(page, 'en-13-hand-in');
    await page.context().close();
  });

  it('refuses an invigilator another exam, on the page and in the API', async () => {
    const page = await signedIn('ivar@vakt.test');
    // Only the assigned exam is listed.
    await page.getByRole('link', { name: 'OTHER-1' }).waitFor();
    expect(await page.getByRole('link', { name: 'TEST-1' }).count()).toBe(0);
    const candidate = await db.storage.db
      .selectFrom('candidates')
      .select('id')
      .where('exam_id', '=', server.exam.id)
      .executeTakeFirstOrThrow();
    await page.goto(`${url}/dashboard/#/exams/${server.exam.id}/candidates/${candidate.id}`);
    await page
      .getByText('No such exam or candidate, or it is not assigned to you.')
      .first()
      .waitFor();
    await screen(page, 'en-9-refused');
    const answer = await page.request.get(
      `${url}/api/v1/staff/exams/${server.exam.id}/candidates/${candidate.id}`,
    );
    expect(answer.status()).toBe(404);
    await page.context().close();
  });

  it('lets an admin add staff, create an exam, import candidates and check the audit log', async () => {
    const page = await signedIn('admin@vakt.test');
    await page.getByRole('link', { name: 'Administration' }).click();
    await page.getByRole('heading', { name: 'Staff accounts' }).waitFor();

    await page.getByLabel('Name').fill('Nina Vakt');
    await page.getByLabel('Email').fill('nina@vakt.test');
    await page.getByLabel('Password (at least 12 characters)').fill('a long enough password');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByText('Created nina@vakt.test.').waitFor();
    await page.getByRole('cell', { name: 'nina@vakt.test' }).waitFor();

    // Cut an account off: asked first, then disabled (its sessions end at once).
    const nina = page.locator('tr', { hasText: 'nina@vakt.test' });
    await nina.getByRole('button', { name: 'Disable' }).click();
    await nina.getByText('Disable nina@vakt.test?', { exact: false }).waitFor();
    await screen(page, 'en-10a-admin-disable-asked');
    await nina.getByRole('button', { name: 'Disable' }).click();
    await nina.getByText('Disabled: signed out everywhere.').waitFor();
    await nina.getByRole('cell', { name: 'Disabled', exact: true }).waitFor();
    await screen(page, 'en-10b-admin-disabled');

    // A broken exam file: every problem listed, nothing created.
    const examInput = page.getByLabel('Exam file (JSON)');
    await examInput.setInputFiles({
      name: 'broken.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify({ code: 'x y', window: {}, content: {} })),
    });
    const problems = page.getByRole('alert').locator('li');
    await expect.poll(() => problems.count()).toBeGreaterThan(1);
    await screen(page, 'en-10-admin-exam-refused');
    await examInput.setInputFiles({
      name: 'exam.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify({ ...TEST_EXAM, code: 'ADMIN-1' })),
    });
    // The code once, and the exam's title as the link: not "ADMIN-1: ADMIN-1".
    await page.getByText('Created exam ADMIN-1:').waitFor();
    await page.getByRole('link', { name: TEST_EXAM.content.title }).last().click();

    // Candidates from CSV: good rows in, the bad row named by its line.
    await page.getByText('Administration of this exam').click();
    await page.getByLabel('Candidate file (CSV)').setInputFiles({
      name: 'candidates.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        '\uFEFFcandidate_number;name;personal_code\r\n5001;Åse Øvrebø;tre-ord-kode\r\n5002;;tre-ord-kode\r\n',
      ),
    });
    await page.getByText('Imported 1 candidate.').waitFor();
    await page.getByText('Line 3: the name must be 1–200 characters').waitFor();
    await page.locator('tr[data-candidate="5001"]').getByText('Åse Øvrebø').waitFor();

    // Assign Nina; she is now in the exam's invigilators.
    await page.getByLabel('Nina Vakt (nina@vakt.test)').check();
    await expect.poll(() => page.getByLabel('Nina Vakt (nina@vakt.test)').isChecked()).toBe(true);
    await screen(page, 'en-11-exam-admin');

    // Renamed on the day and given 90 minutes (nobody has signed in): the heading follows.
    const details = page.locator('.exam-details');
    await details.getByLabel('Title', { exact: true }).fill('Test exam, room 2');
    await details.getByLabel('Duration (minutes, before extra time)').fill('90');
    await details.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { name: 'ADMIN-1: Test exam, room 2' }).waitFor();
    await details.getByText('Saved.').waitFor();
    await expect
      .poll(async () => (await findExamByCode(db.storage.db, 'ADMIN-1'))!.policy.timing)
      .toMatchObject({ durationMinutes: 90 });

    await page.goto(`${url}/dashboard/#/admin`);
    await page.getByRole('button', { name: 'Verify the whole log' }).click();
    await page.getByText(/The audit log is intact: \d+ entries/).waitFor();
    await page
      .getByRole('cell', { name: /^Staff account created / })
      .first()
      .waitFor();
    await page
      .getByRole('cell', { name: /^Invigilator assigned / })
      .first()
      .waitFor();
    await screen(page, 'en-12-admin');
    await page.context().close();
  });

  it('lets an admin date, hold and release data, declare grades final and send hand-overs', async () => {
    // A hand-over the receiver has refused so far, as the running server leaves it.
    const kari = await db.storage.db
      .selectFrom('candidates')
      .select('id')
      .where('candidate_number', '=', '1002')
      .executeTakeFirstOrThrow();
    await undeliveredHandover(db.storage.db, kari.id, {
      id: 'msg_e2e',
      created_at: Date.parse('2027-06-01T09:00:00Z'),
      attempts: 4,
      next_at: Date.parse('2027-06-01T11:00:00Z'),
      last_error: 'the receiver answered HTTP 503',
    });

    const page = await signedIn('admin@vakt.test');
    await page.getByRole('link', { name: 'Administration' }).click();
    await page.getByRole('link', { name: 'Data protection' }).click();
    await page.getByRole('heading', { name: 'When data is deleted' }).waitFor();
    const row = page.locator('tr[data-exam="TEST-1"]');
    await row.getByText('(end of the school year)').waitFor();

    // An own deletion date.
    await page.getByLabel('New deletion date for TEST-1').fill('2031-09-15');
    await row.getByRole('button', { name: 'Change' }).click();
    await row.getByText('(set by an admin)').waitFor();
    await row.getByText(/2031/).first().waitFor();

    // A legal hold on one candidate: refused for a number the exam does not have, then opened.
    await page.locator('select[name=exam]').selectOption({ label: 'TEST-1' });
    await page.getByLabel('Candidate number (empty: the whole exam)').fill('9999');
    await page.getByLabel('Reason').fill('Appeal 2031-2: the candidate disputes a flag');
    await page.getByLabel('Review by').fill('2031-12-01');
    await page.getByRole('button', { name: 'Open the hold' }).click();
    await page.getByText('TEST-1 has no candidate 9999.').waitFor();
    await page.getByLabel('Candidate number (empty: the whole exam)').fill('1001');
    await page.getByRole('button', { name: 'Open the hold' }).click();
    await page.getByText('The hold is open.').waitFor();
    await page
      .getByRole('cell', { name: 'Appeal 2031-2: the candidate disputes a flag' })
      .waitFor();

    // Grades final, after the admin confirms what it deletes.
    await row.getByRole('button', { name: 'Grades are final…' }).click();
    await page.getByText(/This cannot be undone/).waitFor();
    await screen(page, 'en-13-privacy-confirm');
    await page.getByRole('button', { name: 'Yes, the grades of TEST-1 are final' }).click();
    await row
      .getByText(/Final since .*: monitoring events go at the daily retention run/)
      .waitFor();
    // The next retention run empties them: the page then says when, not that it will.
    const { grades_final_at: finalAt } = await db.storage.db
      .selectFrom('exams')
      .select('grades_final_at')
      .where('code', '=', 'TEST-1')
      .executeTakeFirstOrThrow();
    await runRetention(db.storage, {
      now: finalAt! + 60_000,
      schoolYearEnd: DEFAULT_SCHOOL_YEAR_END,
      dryRun: false,
    });
    await page.reload();
    await row
      .getByText(/monitoring events deleted on .*, except what a legal hold keeps/)
      .waitFor();

    // The hand-over: listed with its error, sent again, then abandoned with a reason.
    const handover = page.locator('tr[data-handover="msg_e2e"]');
    await handover.getByText('the receiver answered HTTP 503').waitFor();
    await handover.getByRole('link', { name: '1002 in TEST-1' }).waitFor();
    await handover.getByText(/Next try .* \(4 attempts\)/).waitFor();
    await screen(page, 'en-14-privacy');
    await handover.getByRole('button', { name: 'Send again' }).click();
    await page.getByLabel('Why hand-over msg_e2e is abandoned').fill('Sent to the school by hand');
    await handover.getByRole('button', { name: 'Abandon' }).click();
    await page.getByText('Every hand-over is delivered.').waitFor();

    await page.getByRole('button', { name: 'Release the hold on TEST-1' }).click();
    await page.getByText(/^Released /).waitFor();

    // From the candidate's own page (the released hold still links there), a new hold.
    await page.getByRole('link', { name: 'One candidate' }).click();
    const hold = page.locator('details.candidate-hold');
    await hold.getByText('Keep this candidate’s data for a case (legal hold)').click();
    await hold.getByLabel('Reason').fill('Complaint 2031-7');
    await hold.getByLabel('Review by').fill('2032-01-15');
    await hold.getByRole('button', { name: 'Open the hold' }).click();
    await hold.getByText('The hold is open.').waitFor();
    await screen(page, 'en-15-candidate-hold');
    await hold.getByRole('link', { name: 'Data protection' }).click();
    await page.getByRole('cell', { name: 'Complaint 2031-7' }).waitFor();

    const audited = await db.storage.db
      .selectFrom('audit_log')
      .select(['action', 'detail'])
      .where('actor_email', '=', 'admin@vakt.test')
      .orderBy('seq')
      .execute();
    const actions = audited.map((entry) => entry.action);
    for (const action of [
      'retention.list',
      'exams.update',
      'legal-holds.open',
      'handovers.retry',
      'handovers.abandon',
      'legal-holds.release',
    ])
      expect(actions).toContain(action);
    expect(audited.map((entry) => entry.detail).join('\n')).toMatch(/grades final since/);
    await page.context().close();
  });
});

describe.skipIf(chromiumMissing() !== null)('the dashboard across two server nodes', () => {
  it('shows, live, what a candidate posted to the other node (PostgreSQL LISTEN/NOTIFY)', async () => {
    const db = await freshStorage('postgres');
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    // Two apps on one database, each with its own live feed connection, as two processes.
    const nodeA = await testServer(db.storage, undefined, true, url, { dashboardDir: DASHBOARD });
    const nodeB = await testServer(db.storage, nodeA.keys, false, url);
    await nodeA.app.listen({ host: '127.0.0.1', port });
    await createStaffUser(
      db.storage.db,
      { email: 'admin@vakt.test', name: 'Ada Admin', role: 'admin', password: STAFF_PASSWORD },
      0,
    );
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ locale: 'en-GB' });
      page.setDefaultTimeout(10_000);
      await page.goto(`${url}/dashboard/`);
      await page.locator('select').first().selectOption('en');
      await page.locator('input[name=email]').fill('admin@vakt.test');
      await page.locator('input[name=password]').fill(STAFF_PASSWORD);
      await page.locator('form.sign-in button[type=submit]').click();
      await page.getByRole('link', { name: 'TEST-1' }).click();
      const row = page.locator('tr[data-candidate="1001"]');
      await row.getByText('Not started').waitFor();
      await page.locator('.live', { hasText: 'Live' }).waitFor();

      const client = new ExamClient(nodeB.app, undefined, url);
      await client.signIn();
      await client.fetchPackage();
      await client.heartbeat();
      await client.sync([client.append('network.offline', {})]);
      await row.getByText('In progress').waitFor();
      await row.getByText('0 high, 0 medium, 1 low').waitFor();
      await page.screenshot({ path: join(SCREENS, 'dashboard-two-nodes.png') });
    } finally {
      await browser.close();
      const errors = [...nodeA.serverErrors, ...nodeB.serverErrors];
      await nodeA.app.close();
      await nodeB.app.close();
      await db.cleanup();
      expect(errors).toEqual([]);
    }
  });
});
