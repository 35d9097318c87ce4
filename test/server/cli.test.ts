import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { examPolicySchema, type ExitCodeHash } from '../../src/common/policy';
import { verifyExitCode } from '../../src/main/exit-code';
import { openStorage } from '../../src/server/db/database';
import { undeliveredHandover } from '../support/handovers';

const root = new URL('../..', import.meta.url).pathname;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

// Each command is a real process: seconds each on a loaded machine (beside the load bench, one
// test of a dozen commands took over 120 s).
describe('vakt-server command line', { timeout: 300_000 }, () => {
  let dataDir: string;

  function cli(args: string[], stdin = ''): Promise<Run> {
    return new Promise((resolve) => {
      const child = execFile(
        process.execPath,
        [join(root, 'bin/vakt-server.mjs'), ...args],
        { cwd: root, env: { ...process.env, VAKT_DATA_DIR: dataDir, DATABASE_URL: '' } },
        (error, stdout, stderr) =>
          resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
      child.stdin!.end(stdin);
    });
  }

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'vakt-cli-'));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('finds its worker threads beside the built code that starts them', async () => {
    // Each `new URL('./x-worker.mjs', import.meta.url)` in the build resolves next to its own
    // file: a chunk in a folder of its own once pointed hand-in uploads at a missing worker.
    const out = join(root, 'dist/server');
    const referenced: string[] = [];
    for (const name of (await readdir(out)).filter((file) => file.endsWith('.mjs'))) {
      const code = await readFile(join(out, name), 'utf8');
      for (const [, worker] of code.matchAll(/new URL\(\s*["']\.\/([\w-]+\.mjs)["']/g)) {
        referenced.push(worker!);
        expect(existsSync(join(out, worker!)), `${worker} beside ${name}`).toBe(true);
      }
    }
    expect(new Set(referenced)).toEqual(new Set(['checkpoint-worker.mjs', 'hand-in-worker.mjs']));
    expect((await readdir(out)).some((name) => !name.includes('.'))).toBe(false);
  });

  it('prints the public keys IT pins, the same on every run', async () => {
    const first = await cli(['show-keys']);
    expect(first.stdout).toMatch(
      /signing \(Ed25519\): +[0-9a-f]{64}\nhand-in \(X25519\): +[0-9a-f]{64}/,
    );
    expect((await cli(['show-keys'])).stdout).toBe(first.stdout);
  });

  it('hashes an exit code for a policy that the client then accepts, and refuses a short one', async () => {
    const run = await cli(['exit-code-hash'], '  fjord-elg-7 \n');
    expect(run.code).toBe(0);
    const { exitCode } = JSON.parse(run.stdout) as { exitCode: ExitCodeHash };
    // The policy takes it as it is, at the scrypt floor, and the client recognises the code.
    const policy = examPolicySchema.parse({ exitCode });
    expect(policy.exitCode).toMatchObject({ algorithm: 'scrypt', N: 131_072, r: 8 });
    expect(await verifyExitCode('fjord-elg-7', policy.exitCode!)).toBe(true);
    expect(await verifyExitCode('fjord-elg-8', policy.exitCode!)).toBe(false);
    expect(run.stdout).not.toContain('fjord');

    expect(await cli(['exit-code-hash'], '1234\n')).toMatchObject({
      code: 1,
      stdout: '',
      stderr: 'The exit code must be at least 6 characters.\n',
    });
  });

  it('creates users, exams and candidates, reporting bad rows and auditing each action', async () => {
    expect(await cli(['migrate'])).toMatchObject({
      code: 0,
      stdout: 'The database schema is up to date.\n',
    });
    expect(
      await cli(
        ['create-user', '--email', 'it@school.no', '--name', 'IT', '--role', 'admin'],
        'correct horse battery\n',
      ),
    ).toMatchObject({
      code: 0,
      stdout: 'Created admin it@school.no\n',
    });
    const weak = await cli(
      ['create-user', '--email', 'x@school.no', '--name', 'X', '--role', 'admin'],
      'short\n',
    );
    expect(weak).toMatchObject({
      code: 1,
      stderr: 'user.password: must be at least 12 characters\n',
    });
    // The last admin is never cut off; a new password signs the account out everywhere.
    expect(await cli(['update-user', '--email', 'it@school.no', '--disable'])).toMatchObject({
      code: 1,
      stderr: 'This is the last admin who can sign in: make another admin first.\n',
    });
    expect(
      await cli(
        ['update-user', '--email', 'IT@school.no', '--reset-password'],
        'a new long password\n',
      ),
    ).toMatchObject({ code: 0, stdout: 'it@school.no: new password, 0 sessions ended\n' });
    expect(await cli(['update-user', '--email', 'nobody@school.no', '--disable'])).toMatchObject({
      code: 1,
      stderr: 'nobody@school.no has no staff account.\n',
    });
    expect((await cli(['create-exam', join(root, 'assets/exams/demo.json')])).stdout).toMatch(
      /^Created exam DEMO-1/,
    );
    const csv = join(dataDir, 'candidates.csv');
    await writeFile(
      csv,
      'candidate_number,name,personal_code\n5001,Kari,fjord-7-elg\n5002,,fjord-7-elg\n',
    );
    const imported = await cli(['import-candidates', 'demo-1', csv]);
    expect(imported).toMatchObject({
      code: 2,
      stdout: 'Imported 1 candidates into DEMO-1.\n  line 3: name must be 1–200 characters\n',
    });

    const storage = openStorage({ databaseUrl: null, dataDir });
    const entries = await storage.db
      .selectFrom('audit_log')
      .select(['action', 'actor_email', 'target'])
      .orderBy('at')
      .execute();
    await storage.close();
    expect(entries).toEqual([
      { action: 'users.create', actor_email: 'cli', target: 'it@school.no' },
      { action: 'users.update', actor_email: 'cli', target: 'it@school.no' },
      { action: 'exams.create', actor_email: 'cli', target: 'DEMO-1' },
      { action: 'candidates.import', actor_email: 'cli', target: 'DEMO-1' },
    ]);

    const intact = await cli(['verify-audit']);
    expect(intact).toMatchObject({ code: 0 });
    expect(intact.stdout).toMatch(/^The audit log is intact: 4 entries\.\nHead hash: [0-9a-f]{64}/);

    // Someone with the database file removes the guard and rewrites history.
    const sqlite = new SQLite(join(dataDir, 'vakt.sqlite'));
    sqlite.exec('drop trigger audit_log_no_update');
    sqlite.prepare("update audit_log set target = 'OTHER-1' where seq = 2").run();
    sqlite.close();
    const tampered = await cli(['verify-audit']);
    expect(tampered).toMatchObject({
      code: 3,
      stderr: 'The audit log has been tampered with: entry 2 was changed after it was written.\n',
    });
  });

  it('explains an unknown command and a missing file', async () => {
    const unknown = await cli(['frobnicate']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^Unknown command "frobnicate"\.\n\nUsage: vakt-server/);
    const missing = await cli(['create-exam', '/no/such/exam.json']);
    expect(missing).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^Cannot read exam file \/no\/such\/exam.json/),
    });
  });

  it('opens, lists and releases a legal hold, and runs retention as a dry run, all audited', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'vakt-cli-'));
    await cli(['create-exam', join(root, 'assets/exams/demo.json')]);
    const csv = join(dataDir, 'candidates.csv');
    await writeFile(csv, 'candidate_number,name,personal_code\n5001,Kari,fjord-7-elg\n');
    await cli(['import-candidates', 'DEMO-1', csv]);

    const past = await cli([
      'hold',
      '--exam',
      'DEMO-1',
      '--reason',
      'Appeal',
      '--review',
      '2020-01-01',
    ]);
    expect(past).toMatchObject({ code: 1, stderr: '--review must be a date in the future.\n' });
    const nobody = await cli([
      'hold',
      '--exam',
      'DEMO-1',
      '--candidate',
      '9999',
      '--reason',
      'Appeal',
      '--review',
      '2999-01-01',
    ]);
    expect(nobody).toMatchObject({ code: 1, stderr: 'DEMO-1 has no candidate 9999.\n' });
    const opened = await cli([
      'hold',
      '--exam',
      'demo-1',
      '--candidate',
      '5001',
      '--reason',
      'Appeal 14',
      '--review',
      '2999-01-01',
    ]);
    expect(opened.code).toBe(0);
    const id = /Legal hold (\S+) opened on DEMO-1, candidate 5001/.exec(opened.stdout)?.[1];
    expect(id).toBeDefined();
    expect((await cli(['holds'])).stdout).toMatch(
      new RegExp(`^${id}  open, review 2999-01-01 .*: Appeal 14\n`),
    );

    const dry = await cli(['retention', '--dry-run']);
    expect(dry).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^Would delete 0 rows of 0 exams/),
    });
    expect(await cli(['grades-final', '--exam', 'NOPE-9'])).toMatchObject({
      code: 1,
      stderr: 'No exam with code NOPE-9.\n',
    });
    const final = await cli(['grades-final', '--exam', 'demo-1']);
    expect(final.stdout).toMatch(/^DEMO-1: grades final since \d{4}-\d\d-\d\dT.*raw monitoring/);
    const dryFinal = await cli(['retention', '--dry-run']);
    expect(dryFinal.stdout).toMatch(/^Would delete 0 rows of 0 exams; legal holds kept/);
    expect((await cli(['release-hold', id!])).stdout).toMatch(/^Legal hold \S+ released/);
    expect(await cli(['release-hold', id!])).toMatchObject({
      code: 1,
      stderr: `No open legal hold ${id}.\n`,
    });

    expect((await cli(['handovers'])).stdout).toBe('Every hand-over is delivered.\n');
    expect(await cli(['retry-handover', 'msg_none'])).toMatchObject({
      code: 1,
      stderr: 'No undelivered hand-over msg_none.\n',
    });
    expect(await cli(['abandon-handover', 'msg_none'])).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^abandon-handover needs --reason/),
    });
    // A hand-over the sender gave up on, as the running server leaves it.
    const outbox = openStorage({ databaseUrl: null, dataDir });
    const kari = await outbox.db
      .selectFrom('candidates')
      .select('id')
      .where('candidate_number', '=', '5001')
      .executeTakeFirstOrThrow();
    await undeliveredHandover(outbox.db, kari.id, {
      id: 'msg_cli',
      attempts: 9,
      last_error: 'the receiver answered HTTP 503',
      dead_at: Date.parse('2027-06-04T09:00:00Z'),
    });
    await outbox.close();
    expect((await cli(['handovers'])).stdout).toBe(
      'msg_cli  candidate 5001 in DEMO-1  GIVEN UP 2027-06-04 09:00 UTC, 9 attempts: the receiver answered HTTP 503\n',
    );
    expect((await cli(['retry-handover', 'msg_cli'])).stdout).toMatch(/^Hand-over msg_cli is due/);
    expect((await cli(['handovers'])).stdout).toMatch(/^msg_cli {2}candidate 5001 .* {2}next try /);
    const abandoned = await cli(['abandon-handover', 'msg_cli', '--reason', 'Sent by hand']);
    expect(abandoned.stdout).toMatch(/^Hand-over msg_cli abandoned/);
    expect((await cli(['handovers'])).stdout).toBe('Every hand-over is delivered.\n');

    const subject = await cli(['export-subject', '--exam', 'DEMO-1', '--candidate', '5001']);
    expect(subject.code).toBe(0);
    expect(JSON.parse(subject.stdout)).toMatchObject({
      version: 1,
      exam: { code: 'DEMO-1' },
      data: { candidates: [{ candidate_number: '5001', name: 'Kari' }] },
      retention: { legalHolds: [{ reason: 'Appeal 14' }] },
    });
    expect(subject.stdout).not.toContain('personal_code_hash');

    const out = join(dataDir, 'research.csv');
    const unregistered = await cli([
      'export-research',
      '--exam',
      'DEMO-1',
      '--recipient',
      'x',
      '--out',
      out,
    ]);
    expect(unregistered).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^No research recipient x: register it/),
    });
    const registered = await cli([
      'add-recipient',
      '--name',
      'UiO Learning Lab',
      '--dpa',
      'DBA-2026-17',
    ]);
    const recipient = /research recipient (\S+)\./.exec(registered.stdout)?.[1];
    expect(recipient).toBeDefined();
    const research = await cli([
      'export-research',
      '--exam',
      'DEMO-1',
      '--recipient',
      recipient!,
      '--out',
      out,
    ]);
    expect(research).toMatchObject({
      code: 0,
      stderr: expect.stringMatching(
        /^Wrote 0 rows for UiO Learning Lab .*\n {2}suppressed: the exam has 0 submitted candidates, fewer than k = 5\n$/,
      ),
    });
    expect(await readFile(out, 'utf8')).toBe(
      '"exam","pseudonym","accommodation","platform","item","response"\r\n',
    );

    const storage = openStorage({ databaseUrl: null, dataDir });
    const actions = await storage.db
      .selectFrom('audit_log')
      .select('action')
      .orderBy('seq')
      .execute();
    await storage.close();
    expect(actions.map(({ action }) => action).slice(2)).toEqual([
      'legal-holds.open',
      'retention.dry-run',
      'exams.update',
      'retention.dry-run',
      'legal-holds.release',
      'handovers.retry',
      'handovers.abandon',
      'subject-access.export',
      'research.recipient',
      'research.export',
    ]);
  });
});
