import { STAFF_ROUTE_TABLE } from '../../common/staff-routes';
import { changeStaffAccount, endStaffSessions, resetStaffPassword } from '../auth/staff-accounts';
import {
  attemptSucceeded,
  reserveAttempt,
  retryAfterSeconds,
  type ThrottleRule,
} from '../auth/throttle';
import type { ServerContext } from '../context';
import { HttpError } from '../errors';
import { audit, readAudit, verifyAudit } from '../repositories/audit';
import {
  createStaffSession,
  createStaffUser,
  endStaffSession,
  findStaffByEmail,
  listStaff,
  setStaffPassword,
} from '../repositories/staff';
import { needsRehash, verifySecret } from '../secrets';

import { STAFF_COOKIE, staffRoute, type StaffRouteDef } from './staff-guard';

export const STAFF_SESSION_MS = 12 * 3_600_000;
const SECOND = 1_000;
const MINUTE = 60_000;

interface SignInInput {
  email: string;
  password: string;
  address: string;
}

/**
 * Growing delays: one address guessing one account is slowed hard; an account guessed from
 * everywhere is slowed, but its owner waits a minute at most; a busy shared address (a school's
 * NAT) has room before it slows.
 */
function throttleRules(email: string, address: string): ThrottleRule[] {
  return [
    { key: `staff:${email}|${address}`, free: 5, baseMs: SECOND, maxMs: 15 * MINUTE },
    { key: `staff:${email}`, free: 10, baseMs: SECOND, maxMs: MINUTE },
    { key: `address:${address}`, free: 50, baseMs: SECOND, maxMs: 15 * MINUTE },
  ];
}

/** Staff sign-in, throttled per account, address and both; every attempt is audited. */
export async function staffSignIn(context: ServerContext, input: SignInInput) {
  const { db, dialect } = context.storage;
  const now = context.now();
  const email = input.email.toLowerCase();
  const rules = throttleRules(email, input.address);
  const entry = {
    actorId: null,
    actorEmail: email,
    address: input.address,
    action: 'staff.sign-in' as const,
    target: email,
  };
  const reservation = await reserveAttempt(db, dialect, rules, now);
  if (!reservation.allowed) {
    const seconds = retryAfterSeconds(reservation.retryAfterMs);
    await audit(
      db,
      { ...entry, outcome: 'denied', detail: `throttled for ${seconds} s` },
      now,
      dialect,
    );
    throw new HttpError(
      429,
      'too-many-attempts',
      `Too many failed sign-ins. Try again in ${seconds} seconds.`,
      { 'retry-after': String(seconds) },
      { seconds },
    );
  }
  const user = await findStaffByEmail(db, email);
  if (!(await verifySecret(input.password, user?.password_hash ?? null, 'staff')) || !user) {
    await audit(
      db,
      { ...entry, outcome: 'failed', detail: 'wrong email or password' },
      now,
      dialect,
    );
    throw new HttpError(401, 'wrong-credentials', 'The email or password is not right.');
  }
  if (user.disabled_at !== null) {
    // The right password, but an admin cut the account off: said only to who knows it.
    await audit(db, { ...entry, outcome: 'denied', detail: 'account disabled' }, now, dialect);
    throw new HttpError(403, 'account-disabled', 'This account is disabled. Ask an admin.');
  }
  await attemptSucceeded(db, [rules[0]!.key, rules[1]!.key], [rules[2]!.key]);
  if (needsRehash(user.password_hash)) await setStaffPassword(db, user.id, input.password);
  const token = await createStaffSession(db, user.id, now + STAFF_SESSION_MS, now);
  await audit(db, { ...entry, actorId: user.id, outcome: 'ok' }, now, dialect);
  return { token, user: { id: user.id, email: user.email, name: user.name, role: user.role } };
}

export const accountRoutes: StaffRouteDef[] = [
  staffRoute(STAFF_ROUTE_TABLE.signOut, {
    access: 'signed-in',
    action: 'staff.sign-out',
    handler: async ({ request, reply }, context) => {
      const token = request.cookies[STAFF_COOKIE];
      if (token) await endStaffSession(context.storage.db, token);
      reply.clearCookie(STAFF_COOKIE, { path: '/' });
      return { signedOut: true };
    },
  }),
  staffRoute(STAFF_ROUTE_TABLE.me, {
    access: 'signed-in',
    action: 'staff.me',
    quietWhenOk: () => true,
    handler: ({ user }) => Promise.resolve({ user }),
  }),
  staffRoute(STAFF_ROUTE_TABLE.users, {
    access: 'admin',
    action: 'users.list',
    handler: async (_call, context) => ({ users: await listStaff(context.storage.db) }),
  }),
  staffRoute(STAFF_ROUTE_TABLE.createUser, {
    access: 'admin',
    action: 'users.create',
    handler: async ({ body, note }, context) => {
      if (await findStaffByEmail(context.storage.db, body.email)) {
        throw new HttpError(
          409,
          'exists',
          `A staff account for ${body.email} already exists.`,
          {},
          { what: body.email },
        );
      }
      const user = await createStaffUser(context.storage.db, body, context.now());
      note(`created ${user.email} as ${user.role}`);
      return { user };
    },
  }),
  staffRoute(STAFF_ROUTE_TABLE.updateUser, {
    access: 'admin',
    action: 'users.update',
    handler: async ({ body, params, note }, context) => {
      const user = await changeStaffAccount(context.storage.db, params.userId, body, context.now());
      note(
        [
          body.role !== undefined ? `role ${body.role}` : null,
          body.disabled !== undefined ? (body.disabled ? 'disabled' : 'enabled') : null,
        ]
          .filter((part) => part !== null)
          .join(', '),
      );
      return { user };
    },
  }),
  staffRoute(STAFF_ROUTE_TABLE.resetPassword, {
    access: 'admin',
    action: 'users.reset-password',
    handler: async ({ body, params, note }, context) => {
      const sessionsEnded = await resetStaffPassword(
        context.storage.db,
        params.userId,
        body.password,
      );
      note(`new password; ${sessionsEnded} sessions ended`);
      return { sessionsEnded };
    },
  }),
  staffRoute(STAFF_ROUTE_TABLE.endSessions, {
    access: 'admin',
    action: 'users.sign-out',
    handler: async ({ params, note }, context) => {
      const sessionsEnded = await endStaffSessions(context.storage.db, params.userId);
      note(`${sessionsEnded} sessions ended`);
      return { sessionsEnded };
    },
  }),
  staffRoute(STAFF_ROUTE_TABLE.verifyAudit, {
    access: 'admin',
    action: 'audit.verify',
    handler: async (_call, context) => ({ verdict: await verifyAudit(context.storage.db) }),
  }),
  staffRoute(STAFF_ROUTE_TABLE.audit, {
    access: 'admin',
    action: 'audit.read',
    handler: async ({ query }, context) => ({
      entries: await readAudit(context.storage.db, query.limit),
    }),
  }),
];
