import type { Kysely } from 'kysely';

import { isForeignKeyViolation } from '../db/constraints';
import type { Database } from '../db/schema';
import { HttpError } from '../errors';
import {
  candidateHasData,
  candidateIdsOf,
  candidatesOfExam,
  deleteCandidate,
  setPersonalCodeHash,
  updateCandidate,
} from '../repositories/candidates';
import { hasJournal } from '../repositories/journals';
import { hashSecret } from '../secrets';

import { newPersonalCode } from './personal-code';

/** A sign-in slip: what a candidate needs on paper, the code shown this once. */
export interface SignInSlip {
  candidateId: string;
  candidateNumber: string;
  name: string;
  personalCode: string;
}

/**
 * Fixing candidates on the day (admins): correct a name or the extra time, issue new personal
 * codes (for a forgotten code, or slips for a whole room: the codes exist in clear text only in
 * this answer), or remove a candidate who never signed in.
 */
export async function editCandidate(
  db: Kysely<Database>,
  examId: string,
  candidateId: string,
  changes: { name?: string; extraMinutes?: number },
): Promise<void> {
  await ofExam(db, examId, [candidateId]);
  // The laptop holds the extra time in its signed exam: a change now would not reach it.
  if (changes.extraMinutes !== undefined && (await hasJournal(db, candidateId))) {
    throw new HttpError(
      409,
      'candidate-started',
      'The candidate has signed in: their extra time is fixed. Use Add time instead.',
    );
  }
  await updateCandidate(db, candidateId, changes);
}

/** New personal codes for these candidates of the exam; the old ones stop working. */
export async function issueCodes(
  db: Kysely<Database>,
  examId: string,
  candidates: readonly string[] | 'all',
): Promise<SignInSlip[]> {
  const ids = candidates === 'all' ? await candidateIdsOf(db, examId) : [...new Set(candidates)];
  const rows = await ofExam(db, examId, ids);
  const slips = rows.map((row) => ({
    candidateId: row.id,
    candidateNumber: row.candidate_number,
    name: row.name,
    personalCode: newPersonalCode(row.candidate_number),
  }));
  // Hashed side by side (scrypt runs on libuv's threads), stored one by one.
  const hashes = await Promise.all(slips.map((slip) => hashSecret(slip.personalCode)));
  for (const [index, slip] of slips.entries()) {
    await setPersonalCodeHash(db, slip.candidateId, hashes[index]!);
  }
  return slips;
}

/** Removes a candidate added by mistake: only one who never signed in and no hold keeps. */
export async function removeCandidate(
  db: Kysely<Database>,
  examId: string,
  candidateId: string,
): Promise<void> {
  await ofExam(db, examId, [candidateId]);
  const hasData = new HttpError(
    409,
    'has-data',
    'This candidate has signed in (or a legal hold names them): their data stays until retention.',
  );
  if (await candidateHasData(db, candidateId)) throw hasData;
  try {
    await deleteCandidate(db, candidateId);
  } catch (error) {
    // Signed in between the check and the delete: the journal's key holds the row.
    if (isForeignKeyViolation(error)) throw hasData;
    throw error;
  }
}

async function ofExam(db: Kysely<Database>, examId: string, ids: readonly string[]) {
  const rows = await candidatesOfExam(db, examId, ids);
  if (rows.length !== new Set(ids).size) {
    throw new HttpError(404, 'not-found', 'No such candidate in this exam.');
  }
  return rows;
}
