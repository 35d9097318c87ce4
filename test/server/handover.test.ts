import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { answersHash } from '../../src/common/api';
import { STAFF_API_PREFIX } from '../../src/common/staff-api';
import {
  deliverDue,
  isPrivateAddress,
  type HandoverSettings,
} from '../../src/server/privacy/handover-sender';
import { DEFAULT_SCHOOL_YEAR_END, runRetention } from '../../src/server/privacy/retention';
import { createStaffUser } from '../../src/server/repositories/staff';
import { DIALECTS } from '../support/databases';
import { ExamClient } from '../support/exam-client';
import { serverSuite } from '../support/server';
import { staffCookie } from '../support/staff';

/**
 * The hand-over of accepted submissions: a signed Standard Webhooks POST from an outbox, to a
 * real HTTPS receiver on loopback with its own certificate.
 */
interface Received {
  headers: Record<string, string>;
  body: string;
}

const received: Received[] = [];
let answerWith = 200;
let receiver: Server;
let certificate: string;
let certDir: string;
const secret = `whsec_${randomBytes(32).toString('base64')}`;

beforeAll(async () => {
  certDir = await mkdtemp(join(tmpdir(), 'vakt-receiver-'));
  const [key, cert] = [join(certDir, 'key.pem'), join(certDir, 'cert.pem')];
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ],
    { stdio: 'ignore' },
  );
  certificate = await readFile(cert, 'utf8');
  receiver = createServer({ key: await readFile(key), cert: certificate }, (request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        headers: request.headers as Record<string, string>,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      response.writeHead(answerWith).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
});

afterAll(async () => {
  await new Promise((resolve) => receiver.close(resolve));
  await rm(certDir, { recursive: true, force: true });
});

function settings(allowPrivateNetwork = true): HandoverSettings {
  const { port } = receiver.address() as AddressInfo;
  return { url: `https://127.0.0.1:${port}/vakt/in`, secret, allowPrivateNetwork, ca: certificate };
}

describe('private network guard', () => {
  it.each([
    ['127.0.0.1', 4, true],
    ['10.2.3.4', 4, true],
    ['172.20.0.1', 4, true],
    ['192.168.1.10', 4, true],
    ['169.254.169.254', 4, true],
    ['::1', 6, true],
    ['fd00::1', 6, true],
    ['::ffff:10.0.0.1', 6, true],
    ['158.39.1.1', 4, false],
    ['2001:700::1', 6, false],
  ])('%s private: %s', (address, family, expected) => {
    expect(isPrivateAddress(address, family)).toBe(expected);
  });
});

describe.each(DIALECTS)('hand-over on %s', (dialect) => {
  // A getter: the receiver listens only once the suite runs.
  const suite = serverSuite(dialect, {
    get handover() {
      return settings();
    },
  });
  const ANSWER = 'Fjorden er dyp';

  /** Kari answers twice (autosaves) and, if asked, hands in. */
  async function sit(handIn: boolean): Promise<ExamClient> {
    const client = new ExamClient(suite.server.app);
    await client.signIn();
    await client.fetchPackage();
    client.append('answer.saved', { questionId: 'q2', value: { type: 'short-text', text: 'Fj' } });
    client.append('answer.saved', {
      questionId: 'q2',
      value: { type: 'short-text', text: ANSWER },
    });
    client.append('focus.lost', { app: 'Discord' });
    expect((await client.upload(client.records)).statusCode).toBe(200);
    if (handIn) {
      const hash = answersHash({ q2: { type: 'short-text', text: ANSWER } });
      client.append('submission.sealed', { answersHash: hash, headSeq: 4 });
      expect((await client.upload(client.records)).statusCode).toBe(200);
      // A retry of the same upload hands over nothing more.
      expect((await client.upload(client.records)).statusCode).toBe(200);
    }
    return client;
  }

  const outbox = () => suite.db.storage.db.selectFrom('handovers').selectAll().execute();

  it('queues nothing on autosave, one signed hand-over on submission, with no staff data', async () => {
    // The receiver checks the signature's timestamp against its own clock: use the real time.
    suite.server.clock.now = Date.now();
    // Staff data the payload must never carry: an invigilator's review of Kari's flag.
    await createStaffUser(
      suite.db.storage.db,
      {
        email: 'ingrid@school.no',
        name: 'Ingrid Invigilatorsen',
        role: 'admin',
        password: 'x'.repeat(12),
      },
      0,
    );
    const client = await sit(false);
    expect(await outbox()).toEqual([]);
    const { cookie } = await staffCookie(
      suite.server.app,
      suite.db.storage,
      'rev@vakt.test',
      'admin',
    );
    const candidateId = (
      await suite.db.storage.db
        .selectFrom('candidates')
        .select('id')
        .where('candidate_number', '=', '1001')
        .executeTakeFirstOrThrow()
    ).id;
    const review = await suite.server.app.inject({
      method: 'POST',
      url: `${STAFF_API_PREFIX}/exams/${suite.server.exam.id}/candidates/${candidateId}/reviews`,
      headers: { cookie },
      payload: {
        journalId: client.journalId,
        seq: 3,
        decision: 'confirm',
        comment: 'Seen by Ingrid',
      },
    });
    expect(review.statusCode).toBe(200);

    const hash = answersHash({ q2: { type: 'short-text', text: ANSWER } });
    client.append('submission.sealed', { answersHash: hash, headSeq: 4 });
    expect((await client.upload(client.records)).statusCode).toBe(200);
    expect((await client.upload(client.records)).statusCode).toBe(200);
    expect(await outbox()).toHaveLength(1);

    received.length = 0;
    answerWith = 204;
    const now = suite.server.clock.now;
    expect(await deliverDue(suite.db.storage, settings(), now, () => undefined)).toEqual({
      delivered: 1,
      failed: 0,
      dead: 0,
    });
    expect(received).toHaveLength(1);
    const [{ headers, body }] = received as [Received];
    const payload = new Webhook(secret).verify(body, headers) as {
      candidate: { name: string };
      answers: unknown[];
    };
    expect(payload).toMatchObject({
      type: 'vakt.submission.accepted',
      exam: { code: 'TEST-1' },
      candidate: { candidateNumber: '1001', name: 'Kari' },
      submission: { answersHash: hash, matchesClient: true },
      answers: [{ questionId: 'q2', value: { type: 'short-text', text: ANSWER } }],
    });
    expect(headers['webhook-id']).toBe((await outbox())[0]!.id);
    for (const staff of ['Ingrid', 'ingrid@school.no', 'rev@vakt.test', 'Seen by', 'Discord'])
      expect(body).not.toContain(staff);
    // A body changed on the way fails verification.
    expect(() =>
      new Webhook(secret).verify(body.replace(ANSWER, 'Fjorden er grunn'), headers),
    ).toThrow(WebhookVerificationError);
    expect((await outbox())[0]).toMatchObject({ delivered_at: now, attempts: 1 });
    // Delivered once: the next round sends nothing.
    expect(
      (await deliverDue(suite.db.storage, settings(), now + 60_000, () => undefined)).delivered,
    ).toBe(0);
  });

  it('retries with backoff, gives up after three days with an alert, and holds retention', async () => {
    await sit(true);
    received.length = 0;
    answerWith = 503;
    const start = suite.server.clock.now;
    const alerts: string[] = [];
    const round = (at: number) =>
      deliverDue(suite.db.storage, settings(), at, (line) => alerts.push(line));
    expect(await round(start)).toEqual({ delivered: 0, failed: 1, dead: 0 });
    expect((await outbox())[0]).toMatchObject({
      attempts: 1,
      next_at: start + 30_000,
      last_error: 'the receiver answered HTTP 503',
    });
    expect((await round(start + 10_000)).failed).toBe(0); // not due yet
    expect((await round(start + 30_000)).failed).toBe(1);
    expect((await outbox())[0]!.next_at).toBe(start + 30_000 + 60_000);
    expect(await round(start + 3 * 24 * 3_600_000)).toEqual({ delivered: 0, failed: 1, dead: 1 });
    expect(alerts).toEqual([
      expect.stringMatching(/^ALERT: hand-over msg_\w+ given up after 3 attempts/),
    ]);
    expect(received).toHaveLength(3);

    // Admins see it; the audit log has it; retention keeps the submission it did not deliver.
    suite.server.clock.now = start + 3 * 24 * 3_600_000;
    const { cookie } = await staffCookie(
      suite.server.app,
      suite.db.storage,
      'dpo@vakt.test',
      'admin',
    );
    const pending = await suite.server.app.inject({
      method: 'GET',
      url: `${STAFF_API_PREFIX}/handovers`,
      headers: { cookie },
    });
    expect(pending.json()).toMatchObject({
      pending: [
        {
          attempts: 3,
          deadAt: start + 3 * 24 * 3_600_000,
          candidateNumber: '1001',
          examCode: 'TEST-1',
        },
      ],
    });
    const audited = await suite.db.storage.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'handovers.dead-letter')
      .execute();
    expect(audited).toHaveLength(1);
    const report = await runRetention(suite.db.storage, {
      now: Date.parse('2030-01-01T00:00:00Z'),
      schoolYearEnd: DEFAULT_SCHOOL_YEAR_END,
      dryRun: false,
    });
    expect(report.exams[0]).toMatchObject({ awaitingHandover: 1 });
    expect(
      await suite.db.storage.db.selectFrom('submissions').select('journal_id').execute(),
    ).toHaveLength(1);
  });

  it('sends a hand-over once when two server processes deliver at the same moment', async () => {
    await sit(true);
    received.length = 0;
    answerWith = 200;
    const now = suite.server.clock.now;
    // A second process on the same database: its own storage handle (PostgreSQL: connections).
    const other = await suite.db.reopen();
    const rounds = await Promise.all([
      deliverDue(suite.db.storage, settings(), now, () => undefined),
      deliverDue(other, settings(), now, () => undefined),
    ]);
    expect(rounds.map((round) => round.delivered).sort()).toEqual([0, 1]);
    expect(received).toHaveLength(1);
  });

  it('lets an admin send a given-up hand-over again, or abandon it to retention', async () => {
    await sit(true);
    received.length = 0;
    answerWith = 503;
    const start = suite.server.clock.now;
    const day = 24 * 3_600_000;
    const round = (at: number) => deliverDue(suite.db.storage, settings(), at, () => undefined);
    await round(start);
    expect((await round(start + 3 * day)).dead).toBe(1);
    const [given] = await outbox();
    suite.server.clock.now = start + 4 * day;
    const { cookie } = await staffCookie(
      suite.server.app,
      suite.db.storage,
      'dpo@vakt.test',
      'admin',
    );
    const post = (path: string, payload?: Record<string, string>) =>
      suite.server.app.inject({
        method: 'POST',
        url: `${STAFF_API_PREFIX}/handovers/${path}`,
        headers: { cookie },
        ...(payload === undefined ? {} : { payload }),
      });

    // Sent again: due at once, and three days again before it is given up on.
    expect((await post(`${given!.id}/retry`)).json()).toEqual({ retried: true });
    expect((await outbox())[0]).toMatchObject({ dead_at: null, next_at: start + 4 * day });
    expect(await round(start + 4 * day)).toEqual({ delivered: 0, failed: 1, dead: 0 });
    answerWith = 200;
    expect((await round(start + 5 * day)).delivered).toBe(1);
    expect((await post(`${given!.id}/retry`)).statusCode).toBe(404);

    // Abandoned: never sent, no longer pending, and retention no longer waits for it.
    await suite.db.storage.db
      .updateTable('handovers')
      .set({ delivered_at: null, dead_at: start })
      .execute();
    expect((await post(`${given!.id}/abandon`, {})).statusCode).toBe(400);
    const abandoned = await post(`${given!.id}/abandon`, { reason: 'Sent by hand to Visma' });
    expect(abandoned.json()).toEqual({ abandoned: true });
    const sent = received.length;
    expect(await round(start + 6 * day)).toEqual({ delivered: 0, failed: 0, dead: 0 });
    expect(received).toHaveLength(sent);
    const pending = await suite.server.app.inject({
      method: 'GET',
      url: `${STAFF_API_PREFIX}/handovers`,
      headers: { cookie },
    });
    expect(pending.json()).toEqual({ pending: [] });
    const audited = await suite.db.storage.db
      .selectFrom('audit_log')
      .select(['action', 'detail'])
      .where('action', 'in', ['handovers.retry', 'handovers.abandon'])
      .orderBy('seq')
      .execute();
    // The refused retry is audited too; the abandon without a reason never reached the route.
    expect(audited.map((row) => row.action)).toEqual([
      'handovers.retry',
      'handovers.retry',
      'handovers.abandon',
    ]);
    expect(audited.at(-1)!.detail).toContain('Sent by hand to Visma');
    const report = await runRetention(suite.db.storage, {
      now: Date.parse('2030-01-01T00:00:00Z'),
      schoolYearEnd: DEFAULT_SCHOOL_YEAR_END,
      dryRun: false,
    });
    expect(report.exams[0]).toMatchObject({ awaitingHandover: 0 });
    expect(await suite.db.storage.db.selectFrom('submissions').selectAll().execute()).toEqual([]);
  });

  it('refuses a receiver on a private network unless allowed, by address or by name', async () => {
    await sit(true);
    received.length = 0;
    answerWith = 200;
    const at = suite.server.clock.now;
    const byAddress = await deliverDue(suite.db.storage, settings(false), at, () => undefined);
    expect(byAddress.failed).toBe(1);
    expect((await outbox())[0]!.last_error).toMatch(/^127\.0\.0\.1 is on a private network/);
    const byName = { ...settings(false), url: settings().url.replace('127.0.0.1', 'localhost') };
    expect((await deliverDue(suite.db.storage, byName, at + 30_000, () => undefined)).failed).toBe(
      1,
    );
    expect((await outbox())[0]!.last_error).toMatch(
      /^localhost is on a private network \((127\.0\.0\.1|::1)\)/,
    );
    expect(received).toEqual([]);
  });
});
