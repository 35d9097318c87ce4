import type { FastifyRequest } from 'fastify';

import { configKey, configKeyRequestHash, CONFIG_KEY_HEADER } from '../../common/config-key';
import type { ExamPolicy } from '../../common/policy';
import { bearerToken } from '../auth/verified-tokens';
import type { ServerContext } from '../context';
import { hotQuery } from '../db/hot-query';
import { RefusalError } from '../errors';
import { examFromHeader, examOfCandidate, type Exam } from '../repositories/exams';
import { getJournal, type Journal } from '../repositories/journals';
import { sessionOfHash, type Session } from '../repositories/sessions';
import { hashToken } from '../secrets';
import { minimumFor, refuseIfOlder } from '../sync/versions';

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

/**
 * Expected config-key hashes by public URL, path and config key: the same few for every
 * request of an exam, and each cost a URL parse and a SHA-256 in JavaScript. Bounded, as the
 * path is the caller's to choose.
 */
const requestHashes = new Map<string, string>();
const REQUEST_HASH_LIMIT = 1_024;

function expectedRequestHash(publicUrl: string, url: string, policy: ExamPolicy): string {
  const key = configKeyOf(policy);
  const memoKey = `${publicUrl}\u0000${url}\u0000${key}`;
  let hash = requestHashes.get(memoKey);
  if (hash === undefined) {
    hash = configKeyRequestHash(publicUrl, url, key);
    if (requestHashes.size >= REQUEST_HASH_LIMIT) requestHashes.clear();
    requestHashes.set(memoKey, hash);
  }
  return hash;
}

export interface ClientCall {
  session: Session;
  journal: Journal;
  exam: Exam;
}

/** A session with its journal and exam (not the exam's content: cached), by token hash. */
const sessionByToken = hotQuery((db, slot: (name: 'tokenHash') => never) =>
  db
    .selectFrom('sessions')
    .innerJoin('journals', 'journals.id', 'sessions.journal_id')
    .innerJoin('candidates', 'candidates.id', 'sessions.candidate_id')
    .innerJoin('exams', 'exams.id', 'candidates.exam_id')
    .selectAll('journals')
    .select([
      'sessions.token_hash',
      'sessions.candidate_id as session_candidate_id',
      'sessions.expires_at',
      'sessions.created_at as session_created_at',
      'candidates.exam_id',
      'exams.code',
      'exams.title',
      'exams.policy',
      'exams.opens_at',
      'exams.closes_at',
      'exams.min_client_version',
    ])
    .where('sessions.token_hash', '=', slot('tokenHash')),
);

/**
 * PostgreSQL: one query (one round trip) for the session, its journal and its exam's header.
 * SQLite, in process: the session and the journal by key, and the exam from memory. The join
 * cost 31 µs on its own, the two lookups 8 µs (about 100 and 25 inside a loaded server).
 */
async function findCall(context: ServerContext, tokenHash: string): Promise<ClientCall | null> {
  const { db, dialect } = context.storage;
  if (dialect === 'sqlite') {
    const session = await sessionOfHash(db, tokenHash);
    if (!session) return null;
    const journal = await getJournal(db, session.journal_id);
    if (!journal) return null;
    return { session, journal, exam: await examOfCandidate(db, session.candidate_id) };
  }
  const row = (await sessionByToken(db, { tokenHash })).rows[0];
  if (!row) return null;
  const {
    token_hash,
    session_candidate_id,
    expires_at,
    session_created_at,
    exam_id,
    code,
    title,
    policy,
    opens_at,
    closes_at,
    min_client_version,
    ...journal
  } = row;
  const session: Session = {
    token_hash,
    candidate_id: session_candidate_id,
    journal_id: journal.id,
    expires_at,
    created_at: session_created_at,
  };
  const header = { id: exam_id, code, title, policy, opens_at, closes_at, min_client_version };
  return { session, journal, exam: await examFromHeader(db, header) };
}

/** Checks the bearer token and, where the protocol asks for it, the config-key hash. */
export async function authenticate(
  context: ServerContext,
  request: FastifyRequest,
  options: { configKey: boolean },
): Promise<ClientCall> {
  const token = bearerToken(request.headers.authorization);
  const tokenHash = token ? hashToken(token) : '';
  const found = token ? await findCall(context, tokenHash) : null;
  if (!found || found.session.expires_at <= context.now()) {
    throw new RefusalError({
      code: 'token',
      message: 'Your sign-in has expired or is not valid: sign in again.',
    });
  }
  const { session, journal, exam } = found;
  context.verifiedTokens?.rememberHash(tokenHash, session.expires_at);
  refuseIfOlder(
    journal.client_version,
    minimumFor(context.minClientVersion, exam.minClientVersion),
  );
  if (options.configKey) {
    const expected = expectedRequestHash(context.publicUrl, request.url, exam.policy);
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
