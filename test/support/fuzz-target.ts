import { CLIENT_ROUTES } from '../../src/common/api';
import { parseExamFile } from '../../src/common/exam-file';
import { STAFF_API_PREFIX } from '../../src/common/staff-api';
import type { DialectName } from '../../src/server/db/database';
import { insertCandidate } from '../../src/server/repositories/candidates';
import { insertExam } from '../../src/server/repositories/exams';

import { freshStorage, type TestStorage } from './databases';
import { ExamClient } from './exam-client';
import { operationsOf, type FuzzTarget, type Operation } from './fuzz';
import { testServer, TEST_EXAM, type TestServer } from './server';
import { staffCookie } from './staff';

/**
 * A server on loopback for the fuzzer: exam FUZZ-1 and its candidate are the fuzzer's to
 * damage; exam TEST-1 and candidate 1002 stay untouched, for the normal candidate who must
 * still be served afterwards. The fuzzer sends from 127.0.0.2.
 */
export interface FuzzSetup {
  server: TestServer;
  db: TestStorage;
  operations: Operation[];
  target: FuzzTarget;
  /** Signs in as candidate 1002 of TEST-1, uploads and heartbeats; throws if anything fails. */
  normalCandidate(): Promise<void>;
  close(): Promise<void>;
}

/** Not fuzzed: an event stream never ends, and signing out would end the fuzzer's session. */
const SKIPPED = new Set([
  `GET ${STAFF_API_PREFIX}/exams/{examId}/events`,
  `POST ${STAFF_API_PREFIX}/sign-out`,
]);

export async function startFuzzServer(dialect: DialectName): Promise<FuzzSetup> {
  const db = await freshStorage(dialect);
  // The limits would answer 429 to most of the fuzz before any handler saw it.
  const server = await testServer(db.storage, undefined, true, undefined, {
    rateLimitMax: 1_000_000_000,
    logger: { level: process.env.VAKT_FUZZ_LOG ?? 'warn' },
  });
  const parsed = parseExamFile({ ...TEST_EXAM, code: 'FUZZ-1' });
  if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
  const fuzzExam = await insertExam(db.storage.db, parsed.value, server.clock.now);
  const fuzzCandidate = await insertCandidate(db.storage.db, fuzzExam.id, {
    candidateNumber: '9001',
    name: 'Fuzz',
    personalCode: 'fuzz-code-1',
  });
  const base = await server.app.listen({ host: '127.0.0.1', port: 0 });
  const admin = await staffCookie(server.app, db.storage, 'fuzz-admin@vakt.test', 'admin');
  const fuzzer = new ExamClient(server.app, {
    examCode: 'FUZZ-1',
    candidateNumber: '9001',
    personalCode: 'fuzz-code-1',
  });
  await fuzzer.signIn();
  await fuzzer.fetchPackage();
  const document: unknown = (
    await server.app.inject({ method: 'GET', url: '/api/openapi.json' })
  ).json();
  const operations = operationsOf(document).filter(
    (operation) => !SKIPPED.has(`${operation.method} ${operation.path}`),
  );
  return {
    server,
    db,
    operations,
    target: {
      base,
      localAddress: '127.0.0.2',
      ids: {
        examId: fuzzExam.id,
        candidateId: fuzzCandidate.id,
        userId: admin.id,
      },
      candidateHeaders: (path) => fuzzer.headers(path),
      staffHeaders: { cookie: admin.cookie, origin: server.publicUrl },
    },
    normalCandidate: async () => {
      const client = new ExamClient(server.app, {
        examCode: 'TEST-1',
        candidateNumber: '1002',
        personalCode: 'secret-2',
      });
      const signIn = await client.signIn();
      if (signIn.statusCode !== 200)
        throw new Error(`sign-in: ${signIn.statusCode} ${signIn.body}`);
      await client.fetchPackage();
      const upload = await client.sync([
        client.append('answer.saved', {
          questionId: 'q2',
          value: { type: 'short-text', text: 'still here' },
        }),
      ]);
      if (upload.statusCode !== 200) throw new Error(`upload: ${upload.statusCode} ${upload.body}`);
      const beat = await client.heartbeat();
      if (beat.statusCode !== 200) throw new Error(`heartbeat: ${beat.statusCode} ${beat.body}`);
      const answers = await server.app.inject({
        method: 'GET',
        url: CLIENT_ROUTES.answers,
        headers: client.headers(CLIENT_ROUTES.answers),
      });
      if (!answers.body.includes('still here')) throw new Error(`answers: ${answers.body}`);
    },
    close: async () => {
      await server.app.close();
      await db.cleanup();
    },
  };
}
