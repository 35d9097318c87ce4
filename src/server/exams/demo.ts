import { join } from 'node:path';

import type { Kysely } from 'kysely';

import type { Database } from '../db/schema';
import { packageRoot } from '../paths';
import { insertCandidate } from '../repositories/candidates';
import { findExamByCode, insertExam } from '../repositories/exams';

import { loadExamFile } from './exam-file';

export const DEMO_CANDIDATE = {
  candidateNumber: '1001',
  name: 'Demo Candidate',
  personalCode: 'demo',
};

/** Loads the demo exam (assets/exams/demo.json) and its one candidate, once. */
export async function seedDemo(
  db: Kysely<Database>,
  now: number,
): Promise<{ examCode: string; created: boolean }> {
  const file = await loadExamFile(join(packageRoot(), 'assets/exams/demo.json'));
  if (await findExamByCode(db, file.code)) return { examCode: file.code, created: false };
  const exam = await insertExam(db, file, now);
  await insertCandidate(db, exam.id, DEMO_CANDIDATE);
  return { examCode: file.code, created: true };
}
