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
  /** The oldest client that may sit this exam, if the exam file names one. */
  minClientVersion: string | null;
}

type ExamRow = Database['exams'];

/**
 * Parsed policies and contents by their stored text. Every client request needs its exam, and
 * validating a whole exam each time cost more than the rest of a heartbeat; keyed by the text
 * itself, the memo can never serve a stale exam (an edited policy is new text).
 */
const parsedPolicies = new Map<string, ExamPolicy>();
const parsedContents = new Map<string, ExamContent>();
const MEMO_LIMIT = 256;
const DAY_MS = 24 * 3_600_000;

function memo<T>(cache: Map<string, T>, text: string, parse: (value: unknown) => T): T {
  let value = cache.get(text);
  if (value === undefined) {
    // Stored normalised; parsing again guards against a hand-edited database.
    value = parse(JSON.parse(text));
    if (cache.size >= MEMO_LIMIT) cache.clear();
    cache.set(text, value);
  }
  return value;
}

/**
 * Parsed contents by exam id. A stored exam's content never changes (ExamChanges has none), so
 * a request that has the exam's other columns need not read the content, which grows with the
 * exam, every time.
 */
const contentsById = new Map<string, ExamContent>();

/** An exam's columns but its content (and retention date): what a client request reads. */
export type ExamHeader = Omit<
  ExamRow,
  'content' | 'retain_until' | 'grades_final_at' | 'monitoring_removed_at' | 'created_at'
>;

/** The exam `header` describes, its content read once per process. */
export async function examFromHeader(db: Kysely<Database>, header: ExamHeader): Promise<Exam> {
  let content = contentsById.get(header.id);
  if (content === undefined) {
    const row = await db
      .selectFrom('exams')
      .select('content')
      .where('id', '=', header.id)
      .executeTakeFirstOrThrow();
    content = memo(parsedContents, row.content, (v) => examContentSchema.parse(v));
    if (contentsById.size >= MEMO_LIMIT) contentsById.clear();
    contentsById.set(header.id, content);
  }
  return {
    id: header.id,
    code: header.code,
    title: header.title,
    policy: memo(parsedPolicies, header.policy, (v) => examPolicySchema.parse(v)),
    content,
    opensAt: header.opens_at,
    closesAt: header.closes_at,
    minClientVersion: header.min_client_version,
  };
}

/** Set by admins and retention runs, never at creation. */
type LaterColumns = 'retain_until' | 'grades_final_at' | 'monitoring_removed_at';

function fromRow(row: Omit<ExamRow, LaterColumns>): Exam {
  return {
    id: row.id,
    code: row.code,
    title: row.title,
    policy: memo(parsedPolicies, row.policy, (v) => examPolicySchema.parse(v)),
    content: memo(parsedContents, row.content, (v) => examContentSchema.parse(v)),
    opensAt: row.opens_at,
    closesAt: row.closes_at,
    minClientVersion: row.min_client_version,
  };
}

export async function insertExam(db: Kysely<Database>, exam: ExamFile, now: number): Promise<Exam> {
  // No retain_until: null (the end of the school year) until an admin sets a date; no
  // grades_final_at until an admin declares the grades final.
  const row: Omit<ExamRow, LaterColumns> = {
    id: randomUUID(),
    code: exam.code,
    title: exam.content.title,
    policy: canonicalJson(exam.policy),
    content: canonicalJson(exam.content),
    opens_at: Date.parse(exam.window.opensAt),
    closes_at: Date.parse(exam.window.closesAt),
    created_at: now,
    min_client_version: exam.minClientVersion ?? null,
  };
  await db.insertInto('exams').values(row).execute();
  return fromRow(row);
}

export async function findExamByCode(db: Kysely<Database>, code: string): Promise<Exam | null> {
  const row = await db.selectFrom('exams').selectAll().where('code', '=', code).executeTakeFirst();
  return row ? fromRow(row) : null;
}

export async function findExam(db: Kysely<Database>, id: string): Promise<Exam | null> {
  const row = await db.selectFrom('exams').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? fromRow(row) : null;
}

/** The exams a staff member may open: every exam for an admin, the assigned ones otherwise. */
export async function examsFor(db: Kysely<Database>, user: { id: string; role: string }) {
  let query = db
    .selectFrom('exams')
    .select(['id', 'code', 'title', 'opens_at', 'closes_at', 'policy'])
    .orderBy('opens_at');
  if (user.role !== 'admin') {
    query = query.where(
      'id',
      'in',
      db.selectFrom('assignments').select('exam_id').where('user_id', '=', user.id),
    );
  }
  return (await query.execute()).map((exam) => {
    const policy = memo(parsedPolicies, exam.policy, (v) => examPolicySchema.parse(v));
    return {
      id: exam.id,
      code: exam.code,
      title: exam.title,
      opensAt: exam.opens_at,
      closesAt: exam.closes_at,
      heartbeatIntervalMs: policy.heartbeatIntervalMs,
      durationMinutes: policy.timing.durationMinutes,
    };
  });
}

/**
 * The exams candidates may be sitting at `now`: open, and closed less than a day ago (extra
 * and added time run past the close). Their policy is parsed (memoised), not their content.
 */
export async function runningExams(
  db: Kysely<Database>,
  now: number,
): Promise<{ id: string; policy: ExamPolicy }[]> {
  const rows = await db
    .selectFrom('exams')
    .select(['id', 'policy'])
    .where('opens_at', '<=', now)
    .where('closes_at', '>=', now - DAY_MS)
    .execute();
  return rows.map((row) => ({
    id: row.id,
    policy: memo(parsedPolicies, row.policy, (v) => examPolicySchema.parse(v)),
  }));
}

export type ExamChanges = Partial<
  Pick<Database['exams'], 'title' | 'opens_at' | 'closes_at' | 'policy' | 'retain_until'>
>;

/**
 * Declares an exam's grades final, at `now` unless already declared (the first time stands).
 * Returns when they became final.
 */
export async function declareGradesFinal(
  db: Kysely<Database>,
  examId: string,
  now: number,
): Promise<number> {
  await db
    .updateTable('exams')
    .set({ grades_final_at: now })
    .where('id', '=', examId)
    .where('grades_final_at', 'is', null)
    .execute();
  const row = await db
    .selectFrom('exams')
    .select('grades_final_at')
    .where('id', '=', examId)
    .executeTakeFirstOrThrow();
  return row.grades_final_at ?? now;
}

export async function updateExam(
  db: Kysely<Database>,
  examId: string,
  changes: ExamChanges,
): Promise<void> {
  await db.updateTable('exams').set(changes).where('id', '=', examId).execute();
  recentExams.delete(examId);
}

/** Exam ids by candidate: a candidate never moves to another exam. */
const examIdsByCandidate = new Map<string, string>();
const CANDIDATE_LIMIT = 100_000;
/** Exams as last read, by id: updateExam forgets one at once; older than a second, read again. */
const recentExams = new Map<string, { exam: Exam; readAt: number }>();
const RECENT_EXAM_MS = 1_000;

/**
 * A candidate's exam, read at most once a second per exam (an exam changed by this process is
 * read again at once). For SQLite, where one server process owns the database: its client
 * requests read the session and journal by key and take the exam from here, which costs a
 * quarter of the four-table join (client-auth.ts).
 */
export async function examOfCandidate(db: Kysely<Database>, candidateId: string): Promise<Exam> {
  let examId = examIdsByCandidate.get(candidateId);
  if (examId === undefined) {
    const row = await db
      .selectFrom('candidates')
      .select('exam_id')
      .where('id', '=', candidateId)
      .executeTakeFirstOrThrow();
    examId = row.exam_id;
    if (examIdsByCandidate.size >= CANDIDATE_LIMIT) examIdsByCandidate.clear();
    examIdsByCandidate.set(candidateId, examId);
  }
  const clock = performance.now();
  const recent = recentExams.get(examId);
  if (recent && clock - recent.readAt < RECENT_EXAM_MS) return recent.exam;
  const exam = await findExam(db, examId);
  if (!exam) throw new Error(`no exam ${examId}`);
  if (recentExams.size >= MEMO_LIMIT) recentExams.clear();
  recentExams.set(examId, { exam, readAt: clock });
  return exam;
}
