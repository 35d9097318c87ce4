import { parseArgs } from 'node:util';

import { staffRoleSchema } from '../../common/staff-api';
import { changeStaffAccount, endStaffSessions, resetStaffPassword } from '../auth/staff-accounts';
import { HttpError } from '../errors';
import { audit } from '../repositories/audit';
import { findStaffByEmail } from '../repositories/staff';

import { CLI_ACTOR, readPassword, UsageError, withStorage } from './support';

/**
 * `vakt-server update-user`: what the admin page does to a staff account, for IT without a
 * browser (or without an admin who can sign in): role, disable or enable, sign out, new password.
 */
export async function updateUserCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      email: { type: 'string' },
      role: { type: 'string' },
      disable: { type: 'boolean' },
      enable: { type: 'boolean' },
      'sign-out': { type: 'boolean' },
      'reset-password': { type: 'boolean' },
    },
  });
  if (!values.email) throw new UsageError('update-user needs --email.');
  if (values.disable && values.enable) throw new UsageError('Choose --disable or --enable.');
  const role = values.role === undefined ? undefined : staffRoleSchema.safeParse(values.role);
  if (role && !role.success) throw new UsageError('--role is admin or invigilator.');
  const password = values['reset-password'] ? await readPassword('New password') : null;
  if (password !== null && password.length < 12) {
    throw new UsageError('The password must be at least 12 characters.');
  }
  const email = values.email.toLowerCase();
  await withStorage(async ({ db, dialect }) => {
    const user = await findStaffByEmail(db, email);
    if (!user) throw new UsageError(`${email} has no staff account.`);
    const done: string[] = [];
    try {
      const disabled = values.disable ? true : values.enable ? false : undefined;
      if (role || disabled !== undefined) {
        await changeStaffAccount(
          db,
          user.id,
          { ...(role ? { role: role.data } : {}), ...(disabled !== undefined ? { disabled } : {}) },
          Date.now(),
        );
        if (role) done.push(`role ${role.data}`);
        if (disabled !== undefined) done.push(disabled ? 'disabled' : 'enabled');
      }
      if (password !== null) {
        const ended = await resetStaffPassword(db, user.id, password);
        done.push(`new password, ${ended} sessions ended`);
      } else if (values['sign-out']) {
        done.push(`${await endStaffSessions(db, user.id)} sessions ended`);
      }
    } catch (error) {
      if (error instanceof HttpError) throw new UsageError(error.message);
      throw error;
    }
    if (done.length === 0) throw new UsageError('Nothing to change: see vakt-server help.');
    await audit(
      db,
      {
        ...CLI_ACTOR,
        action: 'users.update',
        target: email,
        outcome: 'ok',
        detail: done.join('; '),
      },
      Date.now(),
      dialect,
    );
    console.log(`${email}: ${done.join('; ')}`);
  });
}
