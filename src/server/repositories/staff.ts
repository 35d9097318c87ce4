import { randomUUID } from 'node:crypto';

import type { Kysely } from 'kysely';

import type { StaffRole, StaffUser } from '../../common/staff-api';
import type { Database } from '../db/schema';
import { hashSecret, hashToken, newToken } from '../secrets';

type UserRow = Database['staff_users'];

function toUser(row: UserRow): StaffUser {
  return { id: row.id, email: row.email, name: row.name, role: row.role as StaffRole };
}

export async function createStaffUser(
  db: Kysely<Database>,
  user: { email: string; name: string; role: StaffRole; password: string },
  now: number,
): Promise<StaffUser> {
  const row: UserRow = {
    id: randomUUID(),
    email: user.email.toLowerCase(),
    name: user.name,
    role: user.role,
    password_hash: await hashSecret(user.password),
    created_at: now,
  };
  await db.insertInto('staff_users').values(row).execute();
  return toUser(row);
}

export async function findStaffByEmail(
  db: Kysely<Database>,
  email: string,
): Promise<UserRow | null> {
  return (
    (await db
      .selectFrom('staff_users')
      .selectAll()
      .where('email', '=', email.toLowerCase())
      .executeTakeFirst()) ?? null
  );
}

export async function listStaff(db: Kysely<Database>): Promise<StaffUser[]> {
  return (await db.selectFrom('staff_users').selectAll().orderBy('email').execute()).map(toUser);
}

export async function createStaffSession(
  db: Kysely<Database>,
  userId: string,
  expiresAt: number,
  now: number,
): Promise<string> {
  const { token, tokenHash } = newToken();
  await db
    .insertInto('staff_sessions')
    .values({ token_hash: tokenHash, user_id: userId, expires_at: expiresAt, created_at: now })
    .execute();
  return token;
}

export async function staffForSession(
  db: Kysely<Database>,
  token: string,
  now: number,
): Promise<StaffUser | null> {
  const row = await db
    .selectFrom('staff_sessions')
    .innerJoin('staff_users', 'staff_users.id', 'staff_sessions.user_id')
    .selectAll('staff_users')
    .select('staff_sessions.expires_at')
    .where('staff_sessions.token_hash', '=', hashToken(token))
    .executeTakeFirst();
  return row && row.expires_at > now ? toUser(row) : null;
}

export async function endStaffSession(db: Kysely<Database>, token: string): Promise<void> {
  await db.deleteFrom('staff_sessions').where('token_hash', '=', hashToken(token)).execute();
}

export async function isAssigned(
  db: Kysely<Database>,
  userId: string,
  examId: string,
): Promise<boolean> {
  return (
    (await db
      .selectFrom('assignments')
      .select('exam_id')
      .where('user_id', '=', userId)
      .where('exam_id', '=', examId)
      .executeTakeFirst()) !== undefined
  );
}

export async function assign(db: Kysely<Database>, userId: string, examId: string): Promise<void> {
  await db
    .insertInto('assignments')
    .values({ user_id: userId, exam_id: examId })
    .onConflict((oc) => oc.columns(['user_id', 'exam_id']).doNothing())
    .execute();
}

export async function unassign(
  db: Kysely<Database>,
  userId: string,
  examId: string,
): Promise<void> {
  await db
    .deleteFrom('assignments')
    .where('user_id', '=', userId)
    .where('exam_id', '=', examId)
    .execute();
}

/** The failures counted for `key` in the window that is still open, if any. */
async function openWindow(db: Kysely<Database>, key: string, now: number, windowMs: number) {
  const row = await db
    .selectFrom('sign_in_failures')
    .selectAll()
    .where('key', '=', key)
    .executeTakeFirst();
  return row && now - row.window_start <= windowMs ? row : null;
}

/** Counts a failed sign-in for `key` (an account or an address); returns the count so far. */
export async function recordSignInFailure(
  db: Kysely<Database>,
  key: string,
  now: number,
  windowMs: number,
): Promise<number> {
  const open = await openWindow(db, key, now, windowMs);
  const row = { key, count: (open?.count ?? 0) + 1, window_start: open?.window_start ?? now };
  await db
    .insertInto('sign_in_failures')
    .values(row)
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({ count: row.count, window_start: row.window_start }),
    )
    .execute();
  return row.count;
}

export async function signInFailures(
  db: Kysely<Database>,
  key: string,
  now: number,
  windowMs: number,
): Promise<number> {
  return (await openWindow(db, key, now, windowMs))?.count ?? 0;
}

export async function clearSignInFailures(db: Kysely<Database>, key: string): Promise<void> {
  await db.deleteFrom('sign_in_failures').where('key', '=', key).execute();
}
