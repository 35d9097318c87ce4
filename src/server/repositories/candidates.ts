import { randomUUID } from 'node:crypto';

import type { Kysely } from 'kysely';

import { placeSchema, type Place } from '../../common/events';
import { storedJson } from '../../common/validation';
import type { DialectName } from '../db/database';
import type { Database } from '../db/schema';
import { hashSecret } from '../secrets';

import { hasJournal } from './journals';

export type Candidate = Database['candidates'];

export interface NewCandidate {
  candidateNumber: string;
  name: string;
  personalCode: string;
  extraMinutes?: number;
}

export async function insertCandidate(
  db: Kysely<Database>,
  examId: string,
  candidate: NewCandidate,
): Promise<Candidate> {
  const { personalCode, ...rest } = candidate;
  return insertHashedCandidate(db, examId, {
    ...rest,
    personalCodeHash: await hashSecret(personalCode),
  });
}

/** A candidate whose personal code was hashed already (hashSecret): many are hashed at once. */
export async function insertHashedCandidate(
  db: Kysely<Database>,
  examId: string,
  candidate: Omit<NewCandidate, 'personalCode'> & { personalCodeHash: string },
): Promise<Candidate> {
  const row: Candidate = {
    id: randomUUID(),
    exam_id: examId,
    candidate_number: candidate.candidateNumber,
    name: candidate.name,
    personal_code_hash: candidate.personalCodeHash,
    extra_minutes: candidate.extraMinutes ?? 0,
    answered: 0,
    hand_raised_at: null,
    hand_text: null,
    place: null,
    started_at: null,
  };
  await db.insertInto('candidates').values(row).execute();
  return row;
}

export async function findCandidate(
  db: Kysely<Database>,
  examId: string,
  candidateNumber: string,
): Promise<Candidate | null> {
  const row = await db
    .selectFrom('candidates')
    .selectAll()
    .where('exam_id', '=', examId)
    .where('candidate_number', '=', candidateNumber)
    .executeTakeFirst();
  return row ?? null;
}

export async function getCandidate(db: Kysely<Database>, id: string): Promise<Candidate> {
  return db.selectFrom('candidates').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

/** Whether `candidateId` is a candidate of `examId` (URLs name both; both must agree). */
export async function isCandidateOf(
  db: Kysely<Database>,
  examId: string,
  candidateId: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('candidates')
    .select('id')
    .where('id', '=', candidateId)
    .where('exam_id', '=', examId)
    .executeTakeFirst();
  return row !== undefined;
}

/** The ids of every candidate of an exam, in candidate-number order. */
export async function candidateIdsOf(db: Kysely<Database>, examId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('candidates')
    .select('id')
    .where('exam_id', '=', examId)
    .orderBy('candidate_number')
    .execute();
  return rows.map((row) => row.id);
}

/** A candidate raised a hand at `at` (received), with their words; a second raise updates it. */
export async function raiseHand(
  db: Kysely<Database>,
  candidateId: string,
  at: number,
  text: string | null,
): Promise<void> {
  await db
    .updateTable('candidates')
    .set({ hand_raised_at: at, hand_text: text })
    .where('id', '=', candidateId)
    .execute();
}

/** The hand is down: answered by an invigilator, or lowered by the candidate. */
export async function lowerHand(db: Kysely<Database>, candidateId: string): Promise<void> {
  await db
    .updateTable('candidates')
    .set({ hand_raised_at: null, hand_text: null })
    .where('id', '=', candidateId)
    .execute();
}

/** The exam started for the candidate at `at`; the first start stands (a second laptop's too). */
export async function markStarted(
  db: Kysely<Database>,
  candidateId: string,
  at: number,
): Promise<void> {
  await db
    .updateTable('candidates')
    .set({ started_at: at })
    .where('id', '=', candidateId)
    .where('started_at', 'is', null)
    .execute();
}

/** An admin's correction to a candidate: the name, the extra time. */
export async function updateCandidate(
  db: Kysely<Database>,
  candidateId: string,
  changes: { name?: string; extraMinutes?: number },
): Promise<void> {
  const set: Partial<Candidate> = {};
  if (changes.name !== undefined) set.name = changes.name;
  if (changes.extraMinutes !== undefined) set.extra_minutes = changes.extraMinutes;
  if (Object.keys(set).length === 0) return;
  await db.updateTable('candidates').set(set).where('id', '=', candidateId).execute();
}

/** A new personal code's hash (the old code stops working for sign-in). */
export async function setPersonalCodeHash(
  db: Kysely<Database>,
  candidateId: string,
  personalCodeHash: string,
): Promise<void> {
  await db
    .updateTable('candidates')
    .set({ personal_code_hash: personalCodeHash })
    .where('id', '=', candidateId)
    .execute();
}

/**
 * Removes a candidate who never signed in, with the instructions room actions queued for them
 * (never delivered) and what the server flagged about them.
 */
export async function deleteCandidate(db: Kysely<Database>, candidateId: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('instructions').where('candidate_id', '=', candidateId).execute();
    await trx.deleteFrom('server_flags').where('candidate_id', '=', candidateId).execute();
    await trx.deleteFrom('candidates').where('id', '=', candidateId).execute();
  });
}

/** Whether anything of the candidate's is held beyond their row: a journal, or a legal hold. */
export async function candidateHasData(
  db: Kysely<Database>,
  candidateId: string,
): Promise<boolean> {
  if (await hasJournal(db, candidateId)) return true;
  const held = await db
    .selectFrom('legal_holds')
    .select('id')
    .where('candidate_id', '=', candidateId)
    .executeTakeFirst();
  return held !== undefined;
}

/** These candidates of the exam (ids of another exam are left out), by candidate number. */
export async function candidatesOfExam(
  db: Kysely<Database>,
  examId: string,
  ids: readonly string[],
): Promise<Pick<Candidate, 'id' | 'candidate_number' | 'name'>[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('candidates')
    .select(['id', 'candidate_number', 'name'])
    .where('exam_id', '=', examId)
    .where('id', 'in', ids)
    .orderBy('candidate_number')
    .execute();
}

/**
 * Holds the candidate's row until the transaction ends (PostgreSQL; SQLite runs one writing
 * transaction at a time anyway): instructions for one candidate are decided one at a time.
 */
export async function lockCandidate(
  trx: Kysely<Database>,
  dialect: DialectName,
  candidateId: string,
): Promise<void> {
  if (dialect !== 'postgres') return;
  await trx
    .selectFrom('candidates')
    .select('id')
    .where('id', '=', candidateId)
    .forUpdate()
    .execute();
}

/** Where the candidate last was (place.kept), for a second laptop to start there. */
export async function keepPlace(
  db: Kysely<Database>,
  candidateId: string,
  place: Place,
): Promise<void> {
  await db
    .updateTable('candidates')
    .set({ place: JSON.stringify(place) })
    .where('id', '=', candidateId)
    .execute();
}

/** The candidate's last place, or null (none yet, or unreadable). */
export async function placeOf(db: Kysely<Database>, candidateId: string): Promise<Place | null> {
  const row = await db
    .selectFrom('candidates')
    .select('place')
    .where('id', '=', candidateId)
    .executeTakeFirst();
  return storedJson(placeSchema, row?.place);
}
