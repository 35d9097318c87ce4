import type { Kysely } from 'kysely';

import type { Database } from '../db/schema';

import { DATA_MAP, type ColumnUse } from './data-map';
import { retentionDate, type SchoolYearEnd } from './retention';

/** The export's format; a receiver can tell versions apart. */
export const SUBJECT_ACCESS_VERSION = 1;

/** Tables holding a candidate's rows, and the column that names the candidate or its journal. */
const BY_CANDIDATE = [
  'candidates',
  'sessions',
  'journals',
  'answers',
  'submissions',
  'instructions',
  'server_flags',
  'hand_ins',
  'handovers',
] as const;
const BY_JOURNAL = ['records', 'quarantine', 'flag_reviews'] as const;
type Table = (typeof BY_CANDIDATE)[number] | (typeof BY_JOURNAL)[number];

export interface SubjectAccessExport {
  version: typeof SUBJECT_ACCESS_VERSION;
  generatedAt: string;
  exam: { id: string; code: string; title: string };
  retention: {
    /** When this data is deleted, unless a legal hold keeps it. */
    deletedAfter: string;
    legalHolds: { reason: string; openedAt: string; reviewAt: string; releasedAt: string | null }[];
  };
  /** Where the submission was handed over, and when. */
  recipients: { system: string; deliveredAt: string | null }[];
  /** Per table, the rows about the candidate, with the columns the data map includes. */
  data: Partial<Record<Table, Record<string, unknown>[]>>;
}

/** Only the columns the data map marks for a subject access export. */
function included(table: Table, row: Record<string, unknown>): Record<string, unknown> {
  const columns = DATA_MAP[table] as Record<string, ColumnUse>;
  return Object.fromEntries(
    Object.entries(row).filter(([column]) => columns[column]?.subjectAccess),
  );
}

/**
 * Everything held about one candidate, as the data map allows (DATA_MAP's `subjectAccess`):
 * identity, answers and each revision of them, the exam log with its monitoring events, flags
 * and reviews (the reviewer by staff id), instructions, hand-ins and hand-overs, and when it
 * will be deleted. Null when the candidate is not in the exam.
 */
export async function subjectAccessExport(
  db: Kysely<Database>,
  examId: string,
  candidateId: string,
  options: { now: number; schoolYearEnd: SchoolYearEnd; recipient: string | null },
): Promise<SubjectAccessExport | null> {
  const exam = await db
    .selectFrom('exams')
    .select(['id', 'code', 'title', 'closes_at', 'retain_until'])
    .where('id', '=', examId)
    .executeTakeFirst();
  const candidate = await db
    .selectFrom('candidates')
    .select('id')
    .where('id', '=', candidateId)
    .where('exam_id', '=', examId)
    .executeTakeFirst();
  if (!exam || !candidate) return null;
  const journals = (
    await db.selectFrom('journals').select('id').where('candidate_id', '=', candidateId).execute()
  ).map(({ id }) => id);

  const data: SubjectAccessExport['data'] = {};
  for (const table of BY_CANDIDATE) {
    const column = table === 'candidates' ? 'id' : 'candidate_id';
    const rows = await db
      .selectFrom(table)
      .selectAll()
      .where(column as never, '=', candidateId as never)
      .execute();
    data[table] = rows.map((row) => included(table, row as Record<string, unknown>));
  }
  for (const table of BY_JOURNAL) {
    const rows =
      journals.length === 0
        ? []
        : await db
            .selectFrom(table)
            .selectAll()
            .where('journal_id', 'in', journals)
            .orderBy('journal_id')
            .execute();
    data[table] = rows.map((row) => included(table, row as Record<string, unknown>));
  }

  const holds = await db
    .selectFrom('legal_holds')
    .select(['reason', 'opened_at', 'review_at', 'released_at'])
    .where('exam_id', '=', examId)
    .where((eb) => eb.or([eb('candidate_id', 'is', null), eb('candidate_id', '=', candidateId)]))
    .execute();
  const handovers = await db
    .selectFrom('handovers')
    .select('delivered_at')
    .where('candidate_id', '=', candidateId)
    .execute();
  const iso = (at: number) => new Date(at).toISOString();
  return {
    version: SUBJECT_ACCESS_VERSION,
    generatedAt: iso(options.now),
    exam: { id: exam.id, code: exam.code, title: exam.title },
    retention: {
      deletedAfter: iso(retentionDate(exam, options.schoolYearEnd)),
      legalHolds: holds.map((hold) => ({
        reason: hold.reason,
        openedAt: iso(hold.opened_at),
        reviewAt: iso(hold.review_at),
        releasedAt: hold.released_at === null ? null : iso(hold.released_at),
      })),
    },
    recipients: options.recipient
      ? handovers.map((row) => ({
          system: options.recipient!,
          deliveredAt: row.delivered_at === null ? null : iso(row.delivered_at),
        }))
      : [],
    data,
  };
}
