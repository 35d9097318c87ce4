import type { FastifyInstance } from 'fastify';

import type { StaffRole } from '../../src/common/staff-api';
import type { Storage } from '../../src/server/db/database';
import { assign, insertStaffUser } from '../../src/server/repositories/staff';
import { STAFF_SIGN_IN } from '../../src/server/routes/staff';

import { testHash } from './hashes';

export const STAFF_PASSWORD = 'correct horse battery';

/** Creates a staff account and signs it in; returns the cookie header to send. */
export async function staffCookie(
  app: FastifyInstance,
  storage: Storage,
  email: string,
  role: StaffRole,
  examIds: string[] = [],
): Promise<{ id: string; cookie: string }> {
  // Stored as createStaffUser would, with the password hashed once per test process.
  const user = await insertStaffUser(
    storage.db,
    { email, name: email, role, passwordHash: await testHash(STAFF_PASSWORD, 'staff') },
    0,
  );
  for (const examId of examIds) await assign(storage.db, user.id, examId);
  const response = await app.inject({
    method: 'POST',
    url: STAFF_SIGN_IN,
    payload: { email, password: STAFF_PASSWORD },
  });
  if (response.statusCode !== 200) throw new Error(`sign-in failed: ${response.body}`);
  const setCookie = response.headers['set-cookie'];
  const raw = Array.isArray(setCookie) ? setCookie[0]! : setCookie!;
  return { id: user.id, cookie: raw.split(';')[0]! };
}
