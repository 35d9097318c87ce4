import type { Kysely } from 'kysely';

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
  if (await candidateHasData(db, candidateId)) {
    throw new HttpError(
      409,
      'has-data',
      'This candidate has signed in (or a legal hold names them): their data stays until retention.',
    );
  }
  await deleteCandidate(db, candidateId);
}

async function ofExam(db: Kysely<Database>, examId: string, ids: readonly string[]) {
  const rows = await candidatesOfExam(db, examId, ids);
  if (rows.length !== new Set(ids).size) {
    throw new HttpError(404, 'not-found', 'No such candidate in this exam.');
  }
  return rows;
}
