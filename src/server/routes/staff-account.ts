import { z } from 'zod';

import { newStaffUserSchema } from '../../common/staff-api';
import type { ServerContext } from '../context';
import { HttpError } from '../errors';
import { audit, readAudit } from '../repositories/audit';
import {
  clearSignInFailures,
  createStaffSession,
  createStaffUser,
  endStaffSession,
  findStaffByEmail,
  listStaff,
  recordSignInFailure,
  signInFailures,
} from '../repositories/staff';
import { verifySecret } from '../secrets';

import { STAFF_COOKIE, type StaffRouteDef } from './staff-guard';

export const STAFF_SESSION_MS = 12 * 3_600_000;
const THROTTLE_WINDOW_MS = 15 * 60_000;
const MAX_ACCOUNT_FAILURES = 5;
const MAX_ADDRESS_FAILURES = 20;

interface SignInInput {
  email: string;
  password: string;
  address: string;
}

/** Staff sign-in with throttling per account and per address; every attempt is audited. */
export async function staffSignIn(context: ServerContext, input: SignInInput) {
  const { db } = context.storage;
  const now = context.now();
  const email = input.email.toLowerCase();
  const accountKey = `account:${email}`;
  const addressKey = `address:${input.address}`;
  const entry = {
    actorId: null,
    actorEmail: email,
    address: input.address,
    action: 'staff.sign-in',
    target: email,
  };
  if (
    (await signInFailures(db, accountKey, now, THROTTLE_WINDOW_MS)) >= MAX_ACCOUNT_FAILURES ||
    (await signInFailures(db, addressKey, now, THROTTLE_WINDOW_MS)) >= MAX_ADDRESS_FAILURES
  ) {
    await audit(db, { ...entry, outcome: 'denied', detail: 'throttled' }, now);
    throw new HttpError(
      429,
      'too-many-attempts',
      'Too many failed sign-ins. Wait 15 minutes, or ask an administrator.',
    );
  }
  const user = await findStaffByEmail(db, email);
  if (!(await verifySecret(input.password, user?.password_hash ?? null)) || !user) {
    await recordSignInFailure(db, accountKey, now, THROTTLE_WINDOW_MS);
    await recordSignInFailure(db, addressKey, now, THROTTLE_WINDOW_MS);
    await audit(db, { ...entry, outcome: 'failed', detail: 'wrong email or password' }, now);
    throw new HttpError(401, 'wrong-credentials', 'The email or password is not right.');
  }
  await clearSignInFailures(db, accountKey);
  const token = await createStaffSession(db, user.id, now + STAFF_SESSION_MS, now);
  await audit(db, { ...entry, actorId: user.id, outcome: 'ok' }, now);
  return { token, user: { id: user.id, email: user.email, name: user.name, role: user.role } };
}

export const accountRoutes: StaffRouteDef[] = [
  {
    method: 'POST',
    url: '/sign-out',
    access: 'signed-in',
    action: 'staff.sign-out',
    handler: async ({ request, reply }, context) => {
      const token = request.cookies[STAFF_COOKIE];
      if (token) await endStaffSession(context.storage.db, token);
      reply.clearCookie(STAFF_COOKIE, { path: '/' });
      return { signedOut: true };
    },
  },
  {
    method: 'GET',
    url: '/me',
    access: 'signed-in',
    action: 'staff.me',
    handler: ({ user }) => Promise.resolve({ user }),
  },
  {
    method: 'GET',
    url: '/users',
    access: 'admin',
    action: 'users.list',
    handler: async (_call, context) => ({ users: await listStaff(context.storage.db) }),
  },
  {
    method: 'POST',
    url: '/users',
    access: 'admin',
    action: 'users.create',
    schema: { body: newStaffUserSchema },
    handler: async ({ request, note }, context) => {
      const body = newStaffUserSchema.parse(request.body);
      if (await findStaffByEmail(context.storage.db, body.email)) {
        throw new HttpError(409, 'exists', `A staff account for ${body.email} already exists.`);
      }
      const user = await createStaffUser(context.storage.db, body, context.now());
      note(`created ${user.email} as ${user.role}`);
      return { user };
    },
  },
  {
    method: 'GET',
    url: '/audit',
    access: 'admin',
    action: 'audit.read',
    schema: {
      querystring: z.strictObject({
        limit: z.coerce.number().int().min(1).max(5_000).default(500),
      }),
    },
    handler: async ({ request }, context) => {
      const { limit } = request.query as { limit: number };
      return { entries: await readAudit(context.storage.db, limit) };
    },
  },
];
