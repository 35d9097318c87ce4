import { randomUUID } from 'node:crypto';

import type { Kysely } from 'kysely';

import type { Instruction } from '../../common/api';
import type { Database } from '../db/schema';

/** Queues an instruction; it is repeated in heartbeats until the client journals it applied. */
export async function queueInstruction(
  db: Kysely<Database>,
  candidateId: string,
  instruction: Omit<Instruction, 'id'>,
  now: number,
): Promise<string> {
  const id = randomUUID();
  const last = await db
    .selectFrom('instructions')
    .select((eb) => eb.fn.max('ordinal').as('ordinal'))
    .where('candidate_id', '=', candidateId)
    .executeTakeFirst();
  await db
    .insertInto('instructions')
    .values({
      id,
      candidate_id: candidateId,
      kind: instruction.kind,
      minutes: instruction.minutes ?? null,
      created_at: now,
      applied_at: null,
      ordinal: Number(last?.ordinal ?? 0) + 1,
    })
    .execute();
  return id;
}

export async function pendingInstructions(
  db: Kysely<Database>,
  candidateId: string,
): Promise<Instruction[]> {
  const rows = await db
    .selectFrom('instructions')
    .selectAll()
    .where('candidate_id', '=', candidateId)
    .where('applied_at', 'is', null)
    .orderBy('created_at')
    .orderBy('ordinal')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind as Instruction['kind'],
    ...(row.minutes !== null ? { minutes: row.minutes } : {}),
  }));
}
