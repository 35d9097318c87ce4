import { randomUUID } from 'node:crypto';

import type { Kysely } from 'kysely';

import type { StaffAccount, StaffRole, StaffUser } from '../../common/staff-api';
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
  const { password, ...rest } = user;
  return insertStaffUser(db, { ...rest, passwordHash: await hashSecret(password, 'staff') }, now);
}

/** A staff account whose password was hashed already (hashSecret with 'staff'). */
export async function insertStaffUser(
  db: Kysely<Database>,
  user: { email: string; name: string; role: StaffRole; passwordHash: string },
  now: number,
): Promise<StaffUser> {
  const row: UserRow = {
    id: randomUUID(),
    email: user.email.toLowerCase(),
    name: user.name,
    role: user.role,
    password_hash: user.passwordHash,
    created_at: now,
    disabled_at: null,
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

/** Every staff account, with whether it is disabled: what the admin page lists. */
export async function listStaff(db: Kysely<Database>): Promise<StaffAccount[]> {
  return (await db.selectFrom('staff_users').selectAll().orderBy('email').execute()).map((row) => ({
    ...toUser(row),
    disabled: row.disabled_at !== null,
  }));
}

/** An admin's change to an account: its role, or whether it is disabled (at `now`). */
export async function updateStaff(
  db: Kysely<Database>,
  userId: string,
  changes: { role?: StaffRole; disabled?: boolean },
  now: number,
): Promise<void> {
  const set: Partial<UserRow> = {};
  if (changes.role !== undefined) set.role = changes.role;
  if (changes.disabled !== undefined) set.disabled_at = changes.disabled ? now : null;
  if (Object.keys(set).length === 0) return;
  await db.updateTable('staff_users').set(set).where('id', '=', userId).execute();
}

/** Admins who can still sign in: the last one is never disabled or demoted. */
export async function activeAdmins(db: Kysely<Database>): Promise<string[]> {
  const rows = await db
    .selectFrom('staff_users')
    .select('id')
    .where('role', '=', 'admin')
    .where('disabled_at', 'is', null)
    .execute();
  return rows.map((row) => row.id);
}

/** Ends every session of an account (everywhere it is signed in); returns how many. */
export async function endAllStaffSessions(db: Kysely<Database>, userId: string): Promise<number> {
  const result = await db
    .deleteFrom('staff_sessions')
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
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
    // A disabled account's sessions stop working at once, however long they had left.
    .where('staff_users.disabled_at', 'is', null)
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

/** A new password hash (a stronger scheme on sign-in, or a reset). */
export async function setStaffPassword(
  db: Kysely<Database>,
  userId: string,
  password: string,
): Promise<void> {
  await db
    .updateTable('staff_users')
    .set({ password_hash: await hashSecret(password, 'staff') })
    .where('id', '=', userId)
    .execute();
}

/** The staff accounts assigned to an exam. */
export async function assignedTo(db: Kysely<Database>, examId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('assignments')
    .select('user_id')
    .where('exam_id', '=', examId)
    .execute();
  return rows.map((row) => row.user_id);
}

export async function findStaffById(
  db: Kysely<Database>,
  id: string,
): Promise<StaffAccount | null> {
  const row = await db
    .selectFrom('staff_users')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? { ...toUser(row), disabled: row.disabled_at !== null } : null;
}
