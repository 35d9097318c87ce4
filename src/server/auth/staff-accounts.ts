import type { Kysely } from 'kysely';

import type { StaffAccount, StaffRole } from '../../common/staff-api';
import type { Database } from '../db/schema';
import { HttpError } from '../errors';
import {
  activeAdmins,
  endAllStaffSessions,
  findStaffById,
  setStaffPassword,
  updateStaff,
} from '../repositories/staff';

/**
 * What an admin does to a staff account on the day, from the dashboard or `vakt-server`: change
 * its role, disable it (a leaked password is cut off: no sign-in, every session and open live
 * stream ends at once), set a new password (its sessions end), or end its sessions. The last
 * admin who can sign in is never disabled or demoted.
 */
export async function changeStaffAccount(
  db: Kysely<Database>,
  userId: string,
  changes: { role?: StaffRole; disabled?: boolean },
  now: number,
): Promise<StaffAccount> {
  const account = await existing(db, userId);
  const losesAdmin =
    account.role === 'admin' &&
    !account.disabled &&
    (changes.disabled === true || (changes.role !== undefined && changes.role !== 'admin'));
  if (losesAdmin) {
    const admins = await activeAdmins(db);
    if (admins.length <= 1) {
      throw new HttpError(
        409,
        'last-admin',
        'This is the last admin who can sign in: make another admin first.',
      );
    }
  }
  await updateStaff(db, userId, changes, now);
  if (changes.disabled === true) await endAllStaffSessions(db, userId);
  return existing(db, userId);
}

/** A new password for an account, set by an admin; every session of the account ends. */
export async function resetStaffPassword(
  db: Kysely<Database>,
  userId: string,
  password: string,
): Promise<number> {
  await existing(db, userId);
  await setStaffPassword(db, userId, password);
  return endAllStaffSessions(db, userId);
}

/** Signs an account out everywhere; returns how many sessions ended. */
export async function endStaffSessions(db: Kysely<Database>, userId: string): Promise<number> {
  await existing(db, userId);
  return endAllStaffSessions(db, userId);
}

async function existing(db: Kysely<Database>, userId: string): Promise<StaffAccount> {
  const account = await findStaffById(db, userId);
  if (!account) throw new HttpError(404, 'not-found', 'No such staff account.');
  return account;
}
