import type { Kysely } from 'kysely';

import type { DialectName } from '../db/database';
import type { Database } from '../db/schema';

/**
 * Growing delays for password guesses, per key (an account, an address, a pair of both).
 * Each attempt is counted *before* the password is checked, in one transaction with the rows
 * locked, so parallel guesses cannot all slip through; a right password forgives it. After
 * `free` failures each further attempt must wait `baseMs`, doubling up to `maxMs` — a delay
 * anyone can cause but nobody can turn into a lockout.
 */
export interface ThrottleRule {
  key: string;
  free: number;
  baseMs: number;
  maxMs: number;
}

/** Failures older than this are forgotten. */
const FORGET_AFTER_MS = 24 * 3_600_000;

export type Reservation = { allowed: true } | { allowed: false; retryAfterMs: number };

function delayAfter(failures: number, rule: ThrottleRule): number {
  if (failures < rule.free) return 0;
  return Math.min(rule.maxMs, rule.baseMs * 2 ** Math.min(failures - rule.free, 30));
}

export async function reserveAttempt(
  db: Kysely<Database>,
  dialect: DialectName,
  rules: readonly ThrottleRule[],
  now: number,
): Promise<Reservation> {
  const keys = rules.map((rule) => rule.key);
  return db.transaction().execute(async (trx) => {
    await trx
      .insertInto('attempt_throttle')
      .values(keys.map((key) => ({ key, failures: 0, next_at: 0, updated_at: now })))
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    let query = trx.selectFrom('attempt_throttle').selectAll().where('key', 'in', keys);
    // SQLite runs one transaction at a time; PostgreSQL needs the rows locked.
    if (dialect === 'postgres') query = query.forUpdate();
    const rows = new Map((await query.execute()).map((row) => [row.key, row]));
    let retryAfterMs = 0;
    for (const key of keys) {
      const row = rows.get(key)!;
      if (now - row.updated_at <= FORGET_AFTER_MS)
        retryAfterMs = Math.max(retryAfterMs, row.next_at - now);
    }
    if (retryAfterMs > 0) return { allowed: false, retryAfterMs };
    for (const rule of rules) {
      const row = rows.get(rule.key)!;
      const failures = (now - row.updated_at > FORGET_AFTER_MS ? 0 : row.failures) + 1;
      await trx
        .updateTable('attempt_throttle')
        .set({ failures, next_at: now + delayAfter(failures, rule), updated_at: now })
        .where('key', '=', rule.key)
        .execute();
    }
    return { allowed: true };
  });
}

/**
 * A right password: `forget` keys start again (the account, the pair); `undo` keys only take
 * back this attempt (a shared address keeps what others failed there).
 */
export async function attemptSucceeded(
  db: Kysely<Database>,
  forget: readonly string[],
  undo: readonly string[],
): Promise<void> {
  if (forget.length > 0)
    await db.deleteFrom('attempt_throttle').where('key', 'in', forget).execute();
  if (undo.length > 0) {
    await db
      .updateTable('attempt_throttle')
      .set((eb) => ({ failures: eb('failures', '-', 1), next_at: 0 }))
      .where('key', 'in', undo)
      .where('failures', '>', 0)
      .execute();
  }
}

/** Seconds to put in Retry-After, at least 1. */
export function retryAfterSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}
