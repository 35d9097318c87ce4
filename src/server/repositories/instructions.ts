import { randomUUID } from 'node:crypto';

import { sql, type Kysely } from 'kysely';

import type { Instruction } from '../../common/api';
import { hotQuery } from '../db/hot-query';
import type { Database } from '../db/schema';

/** The instruction kinds that move a candidate's deadline: minutes added, a pause ended. */
export const ADD_TIME = 'add-time';
export const RESUME = 'resume';

/**
 * The time invigilators gave a candidate, in ms, as an aggregate over their `instructions`
 * rows of kind ADD_TIME or RESUME (whenever given, applied or not): minutes added, and every
 * pause's length. A sum of none is null; PostgreSQL sums bigint as text.
 */
export const timeCreditMs = sql<
  number | string | null
>`sum(case when ${sql.ref('instructions.kind')} = ${ADD_TIME} then ${sql.ref('instructions.minutes')} * 60000 else coalesce(${sql.ref('instructions.paused_ms')}, 0) end)`;

/** Queues an instruction; it is repeated in heartbeats until the client journals it applied. */
export async function queueInstruction(
  db: Kysely<Database>,
  candidateId: string,
  instruction: Omit<Instruction, 'id'>,
  now: number,
  /** For a resume: the pause it ends (a second resume of it is refused by a unique index). */
  resumes: string | null = null,
): Promise<string> {
  const id = randomUUID();
  // One statement, so two instructions sent at once cannot read the same last ordinal.
  await db
    .insertInto('instructions')
    .columns([
      'id',
      'candidate_id',
      'kind',
      'minutes',
      'reason',
      'paused_ms',
      'resumes',
      'text',
      'created_at',
      'ordinal',
    ])
    .expression((eb) =>
      eb
        .selectFrom('instructions')
        .select((inner) => [
          eb.val(id).as('id'),
          eb.val(candidateId).as('candidate_id'),
          eb.val(instruction.kind).as('kind'),
          // Typed, as PostgreSQL reads an untyped parameter in a select list as text.
          sql<number | null>`cast(${instruction.minutes ?? null} as integer)`.as('minutes'),
          eb.val(instruction.reason ?? null).as('reason'),
          sql<number | null>`cast(${instruction.pausedMs ?? null} as bigint)`.as('paused_ms'),
          sql<string | null>`cast(${resumes} as text)`.as('resumes'),
          sql<string | null>`cast(${instruction.text ?? null} as text)`.as('text'),
          sql<number>`cast(${now} as bigint)`.as('created_at'),
          sql<number>`coalesce(max(${inner.ref('ordinal')}), 0) + 1`.as('ordinal'),
        ])
        .where('candidate_id', '=', candidateId),
    )
    .execute();
  return id;
}

/**
 * Unordered: every heartbeat asks, nearly always for none, and SQLite's ORDER BY built a
 * temporary b-tree even for no rows (8 µs of the query's 10; the few rows are sorted here).
 */
const unapplied = hotQuery((db, slot: (name: 'candidateId') => never) =>
  db
    .selectFrom('instructions')
    .selectAll()
    .where('candidate_id', '=', slot('candidateId'))
    .where('applied_at', 'is', null),
);

/** The instructions a candidate's client has not applied yet, in the order sent. */
export async function pendingInstructions(
  db: Kysely<Database>,
  candidateId: string,
): Promise<Instruction[]> {
  const { rows } = await unapplied(db, { candidateId });
  if (rows.length > 1) rows.sort((a, b) => a.created_at - b.created_at || a.ordinal - b.ordinal);
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind as Instruction['kind'],
    ...(row.minutes !== null ? { minutes: row.minutes } : {}),
    ...(row.reason !== null ? { reason: row.reason } : {}),
    // A pause stops the clock from when it was given, not from when the laptop heard.
    ...(row.kind === 'pause' ? { at: row.created_at } : {}),
    ...(row.paused_ms !== null ? { pausedMs: row.paused_ms } : {}),
    ...(row.text !== null ? { text: row.text } : {}),
  }));
}

/** Every instruction sent to a candidate, oldest first, with when the client applied it. */
export async function instructionsFor(db: Kysely<Database>, candidateId: string) {
  const rows = await db
    .selectFrom('instructions')
    .selectAll()
    .where('candidate_id', '=', candidateId)
    .orderBy('created_at')
    .orderBy('ordinal')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    minutes: row.minutes,
    reason: row.reason,
    pausedMs: row.paused_ms,
    text: row.text,
    readAt: row.read_at,
    sentAt: row.created_at,
    appliedAt: row.applied_at,
  }));
}

/** The client journaled that it applied instruction `id`: the server stops repeating it. */
export async function markApplied(
  db: Kysely<Database>,
  candidateId: string,
  id: string,
  now: number,
): Promise<void> {
  await db
    .updateTable('instructions')
    .set({ applied_at: now })
    .where('id', '=', id)
    .where('candidate_id', '=', candidateId)
    .where('applied_at', 'is', null)
    .execute();
}

/**
 * The candidate's pause still running, as far as the server knows: the newest pause or resume
 * given, if it is a pause. Its `created_at` is when the clock stopped.
 */
export async function openPause(
  db: Kysely<Database>,
  candidateId: string,
): Promise<{ id: string; createdAt: number } | null> {
  const row = await db
    .selectFrom('instructions')
    .select(['id', 'kind', 'created_at'])
    .where('candidate_id', '=', candidateId)
    .where('kind', 'in', ['pause', RESUME])
    .orderBy('created_at', 'desc')
    .orderBy('ordinal', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.kind === 'pause' ? { id: row.id, createdAt: row.created_at } : null;
}

/** The candidate said they read message `id` (their journal's message.read): the first time stands. */
export async function markRead(
  db: Kysely<Database>,
  candidateId: string,
  id: string,
  now: number,
): Promise<void> {
  await db
    .updateTable('instructions')
    .set({ read_at: now })
    .where('id', '=', id)
    .where('candidate_id', '=', candidateId)
    .where('kind', '=', 'message')
    .where('read_at', 'is', null)
    .execute();
}
