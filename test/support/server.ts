import { ed25519, x25519 } from '@noble/curves/ed25519.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect } from 'vitest';

import { parseExamFile, type ExamFileInput } from '../../src/common/exam-file';
import { buildApp, type AppOptions } from '../../src/server/app';
import { composeServer } from '../../src/server/compose';
import type { DialectName, Storage } from '../../src/server/db/database';
import type { ServerKeys } from '../../src/server/keys';
import { LocalLiveFeed, PostgresLiveFeed, type LiveFeed } from '../../src/server/live/live-feed';
import type { ServerMetrics } from '../../src/server/metrics';
import type { HandoverSettings } from '../../src/server/privacy/handover-sender';
import { insertHashedCandidate } from '../../src/server/repositories/candidates';
import { findExamByCode, insertExam, type Exam } from '../../src/server/repositories/exams';
import type { Quotas } from '../../src/server/sync/quotas';

import { freshStorage, POSTGRES_URL, type TestStorage } from './databases';
import { TEST_PUBLIC_URL } from './exam-client';
import { testHash } from './hashes';

export function testKeys(): ServerKeys {
  const signing = ed25519.keygen();
  const handIn = x25519.keygen();
  return {
    signing: { secretKey: bytesToHex(signing.secretKey), publicKey: bytesToHex(signing.publicKey) },
    handIn: { secretKey: bytesToHex(handIn.secretKey), publicKey: bytesToHex(handIn.publicKey) },
  };
}

export const TEST_EXAM: ExamFileInput = {
  code: 'TEST-1',
  window: { opensAt: '2026-01-01T00:00:00Z', closesAt: '2027-12-31T00:00:00Z' },
  content: {
    title: 'Test exam',
    questions: [
      {
        id: 'q1',
        type: 'single-choice',
        prompt: 'Pick',
        options: [
          { id: 'a', text: 'A' },
          { id: 'b', text: 'B' },
        ],
      },
      { id: 'q2', type: 'short-text', prompt: 'Write' },
    ],
  },
};

export interface TestServer {
  app: FastifyInstance;
  /** Every 5xx the app answered: a bug, so suites assert this stays empty. */
  serverErrors: string[];
  exam: Exam;
  keys: ServerKeys;
  clock: { now: number };
  /** The server's configured public URL: what every config-key hash covers. */
  publicUrl: string;
  /** Where stored changes are published for live dashboards. */
  feed: LiveFeed;
}

/** An exam server app on `storage` with one exam and two candidates (1001, 1002). */
export async function testServer(
  storage: Storage,
  keys = testKeys(),
  seed = true,
  publicUrl = TEST_PUBLIC_URL,
  options: Pick<
    AppOptions,
    'trustProxy' | 'rateLimitMax' | 'logger' | 'timeouts' | 'limits' | 'metricsToken'
  > & {
    metrics?: ServerMetrics;
    quotas?: Quotas;
    updatesDir?: string;
    dashboardDir?: string;
    handover?: HandoverSettings;
  } = {},
): Promise<TestServer> {
  const { quotas, updatesDir, dashboardDir, handover, metrics, ...appOptions } = options;
  const clock = { now: Date.parse('2027-06-01T09:00:00Z') };
  const parsed = parseExamFile(TEST_EXAM);
  if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
  let exam: Exam;
  if (seed) {
    exam = await insertExam(storage.db, parsed.value, clock.now);
    await insertHashedCandidate(storage.db, exam.id, {
      candidateNumber: '1001',
      name: 'Kari',
      personalCodeHash: await testHash('secret-1'),
    });
    await insertHashedCandidate(storage.db, exam.id, {
      candidateNumber: '1002',
      name: 'Ola',
      personalCodeHash: await testHash('secret-2'),
    });
  } else {
    exam = (await findExamByCode(storage.db, 'TEST-1'))!;
  }
  const serverErrors: string[] = [];
  const feed: LiveFeed =
    storage.dialect === 'postgres'
      ? await PostgresLiveFeed.connect(POSTGRES_URL, storage.schema ?? 'public')
      : new LocalLiveFeed();
  const app = await buildApp({
    context: composeServer(
      {
        storage,
        keys,
        publicUrl,
        minClientVersion: '1.0.0',
        now: () => clock.now,
        ...(updatesDir ? { updatesDir } : {}),
        ...(dashboardDir ? { dashboardDir } : {}),
        ...(handover ? { handover } : {}),
        ...(metrics ? { metrics } : {}),
        feed,
      },
      quotas ? { quotas } : {},
    ),
    onServerError: (description) => serverErrors.push(description),
    ...appOptions,
  });
  return { app, serverErrors, exam, keys, clock, publicUrl, feed };
}

export interface ServerSuite {
  db: TestStorage;
  server: TestServer;
}

/**
 * A fresh database and server for each test of a suite on `dialect`, closed after it; the
 * test fails if the server answered any 5xx. Read `suite.db` and `suite.server` inside tests.
 */
export function serverSuite(
  dialect: DialectName,
  options: Parameters<typeof testServer>[4] = {},
): ServerSuite {
  const suite = {} as ServerSuite;
  beforeEach(async () => {
    suite.db = await freshStorage(dialect);
    suite.server = await testServer(suite.db.storage, undefined, true, undefined, options);
  });
  afterEach(async () => {
    const errors = suite.server.serverErrors;
    await suite.server.app.close();
    await suite.db.cleanup();
    expect(errors).toEqual([]);
  });
  return suite;
}

/** The id of candidate `candidateNumber` of the test exam (TEST-1): 1001 is Kari, 1002 Ola. */
export async function candidateIdOf(storage: Storage, candidateNumber: string): Promise<string> {
  const exam = (await findExamByCode(storage.db, 'TEST-1'))!;
  const row = await storage.db
    .selectFrom('candidates')
    .select('id')
    .where('exam_id', '=', exam.id)
    .where('candidate_number', '=', candidateNumber)
    .executeTakeFirstOrThrow();
  return row.id;
}
