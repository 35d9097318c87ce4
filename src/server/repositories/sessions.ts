import type { Kysely } from 'kysely';

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

/** The live session for `token`, or null when unknown or expired. */
export async function findSession(
  db: Kysely<Database>,
  token: string,
  now: number,
): Promise<Session | null> {
  const session = await db
    .selectFrom('sessions')
    .selectAll()
    .where('token_hash', '=', hashToken(token))
    .executeTakeFirst();
  return session && session.expires_at > now ? session : null;
}
