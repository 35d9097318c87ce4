import type { Kysely } from 'kysely';

import { hotQuery } from '../db/hot-query';
import type { Database } from '../db/schema';
import { hashToken, newToken } from '../secrets';

export type Session = Database['sessions'];

/** Creates a session; only the token's hash is stored. */
export async function createSession(
  db: Kysely<Database>,
  candidateId: string,
  journalId: string,
  expiresAt: number,
  now: number,
): Promise<string> {
  const { token, tokenHash } = newToken();
  await db
    .insertInto('sessions')
    .values({
      token_hash: tokenHash,
      candidate_id: candidateId,
      journal_id: journalId,
      expires_at: expiresAt,
      created_at: now,
    })
    .execute();
  return token;
}

const byHash = hotQuery((db, slot: (name: 'tokenHash') => never) =>
  db.selectFrom('sessions').selectAll().where('token_hash', '=', slot('tokenHash')),
);

/** The session whose token hashes to `tokenHash`, expired or not (every client request asks). */
export async function sessionOfHash(
  db: Kysely<Database>,
  tokenHash: string,
): Promise<Session | undefined> {
  return (await byHash(db, { tokenHash })).rows[0];
}

/** The live session for `token`, or null when unknown or expired. */
export async function findSession(
  db: Kysely<Database>,
  token: string,
  now: number,
): Promise<Session | null> {
  const session = await sessionOfHash(db, hashToken(token));
  return session && session.expires_at > now ? session : null;
}
