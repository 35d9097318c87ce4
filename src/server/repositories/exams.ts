import { randomUUID } from 'node:crypto';

import type { Kysely } from 'kysely';

import { canonicalJson } from '../../common/canonical-json';
import { examContentSchema, type ExamContent } from '../../common/content';
import type { ExamFile } from '../../common/exam-file';
import { examPolicySchema, type ExamPolicy } from '../../common/policy';
import type { Database } from '../db/schema';

export interface Exam {
  id: string;
  code: string;
  title: string;
  policy: ExamPolicy;
  content: ExamContent;
  opensAt: number;
  closesAt: number;
}

type ExamRow = Database['exams'];

function fromRow(row: ExamRow): Exam {
  return {
    id: row.id,
    code: row.code,
    title: row.title,
    // Stored normalised; parsing again guards against a hand-edited database.
    policy: examPolicySchema.parse(JSON.parse(row.policy)),
    content: examContentSchema.parse(JSON.parse(row.content)),
    opensAt: row.opens_at,
    closesAt: row.closes_at,
  };
}

export async function insertExam(db: Kysely<Database>, exam: ExamFile, now: number): Promise<Exam> {
  const row: ExamRow = {
    id: randomUUID(),
    code: exam.code,
    title: exam.content.title,
    policy: canonicalJson(exam.policy),
    content: canonicalJson(exam.content),
    opens_at: Date.parse(exam.window.opensAt),
    closes_at: Date.parse(exam.window.closesAt),
    created_at: now,
  };
  await db.insertInto('exams').values(row).execute();
  return fromRow(row);
}

export async function findExamByCode(db: Kysely<Database>, code: string): Promise<Exam | null> {
  const row = await db.selectFrom('exams').selectAll().where('code', '=', code).executeTakeFirst();
  return row ? fromRow(row) : null;
}

export async function getExam(db: Kysely<Database>, id: string): Promise<Exam> {
  return fromRow(
    await db.selectFrom('exams').selectAll().where('id', '=', id).executeTakeFirstOrThrow(),
  );
}
