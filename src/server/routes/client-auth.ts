import type { FastifyRequest } from 'fastify';

import { configKey, configKeyRequestHash, CONFIG_KEY_HEADER } from '../../common/config-key';
import type { ExamPolicy } from '../../common/policy';
import type { ServerContext } from '../context';
import { RefusalError } from '../errors';
import { getExam, type Exam } from '../repositories/exams';
import { getJournal, type Journal } from '../repositories/journals';
import { findSession, type Session } from '../repositories/sessions';
import { bearerToken } from '../verified-tokens';
import { minimumFor, refuseIfOlder } from '../versions';

/** Config keys by policy object (the exam repository hands out one object per policy text). */
const configKeys = new WeakMap<ExamPolicy, string>();

function configKeyOf(policy: ExamPolicy): string {
  let key = configKeys.get(policy);
  if (key === undefined) {
    key = configKey(policy);
    configKeys.set(policy, key);
  }
  return key;
}

export interface ClientCall {
  session: Session;
  journal: Journal;
  exam: Exam;
}

/** Checks the bearer token and, where the protocol asks for it, the config-key hash. */
export async function authenticate(
  context: ServerContext,
  request: FastifyRequest,
  options: { configKey: boolean },
): Promise<ClientCall> {
  const token = bearerToken(request.headers.authorization);
  const { db } = context.storage;
  const session = token ? await findSession(db, token, context.now()) : null;
  if (!session) {
    throw new RefusalError({
      code: 'token',
      message: 'Your sign-in has expired or is not valid: sign in again.',
    });
  }
  context.verifiedTokens?.remember(token, session.expires_at);
  const [journal, candidate] = await Promise.all([
    getJournal(db, session.journal_id),
    db
      .selectFrom('candidates')
      .select('exam_id')
      .where('id', '=', session.candidate_id)
      .executeTakeFirstOrThrow(),
  ]);
  const exam = await getExam(db, candidate.exam_id);
  if (!journal) throw new Error(`session without journal ${session.journal_id}`);
  refuseIfOlder(
    journal.client_version,
    minimumFor(context.minClientVersion, exam.minClientVersion),
  );
  if (options.configKey) {
    const expected = configKeyRequestHash(context.publicUrl, request.url, configKeyOf(exam.policy));
    if (request.headers[CONFIG_KEY_HEADER] !== expected) {
      throw new RefusalError({
        code: 'config-key',
        message:
          'The exam settings on this computer do not match the server: fetch the exam again.',
      });
    }
  }
  return { session, journal, exam };
}
