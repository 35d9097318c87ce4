import { z } from 'zod';

import { canonicalJson } from '../../common/canonical-json';
import { parseExamFile } from '../../common/exam-file';
import { examPolicySchema } from '../../common/policy';
import { examUpdateSchema, type CandidateRow } from '../../common/staff-api';
import { parseWith } from '../../common/validation';
import { importCandidates } from '../candidate-import';
import { candidateState } from '../candidate-state';
import type { ServerContext } from '../context';
import { candidateDeadline } from '../deadline';
import { HttpError } from '../errors';
import { findExam, findExamByCode, getExam, insertExam, type Exam } from '../repositories/exams';
import { queueInstruction } from '../repositories/instructions';
import { serverFlags } from '../repositories/server-flags';
import { assign, unassign } from '../repositories/staff';
import { severityFor } from '../severity';

import type { StaffRouteDef } from './staff-guard';

/** Candidate rows with each one's newest journal and flag counts by severity. */
export async function candidateRows(
  context: ServerContext,
  examId: string,
): Promise<CandidateRow[]> {
  const { db } = context.storage;
  const { policy } = await getExam(db, examId);
  const candidates = await db
    .selectFrom('candidates')
    .selectAll()
    .where('exam_id', '=', examId)
    .orderBy('candidate_number')
    .execute();
  const journals = await db
    .selectFrom('journals')
    .innerJoin('candidates', 'candidates.id', 'journals.candidate_id')
    .leftJoin('submissions', 'submissions.journal_id', 'journals.id')
    .select([
      'journals.id',
      'journals.candidate_id',
      'journals.state',
      'journals.status',
      'journals.last_seen_at',
      'journals.client_version',
      'journals.watermark',
      'journals.created_at',
      'submissions.journal_id as submitted',
    ])
    .where('candidates.exam_id', '=', examId)
    .where('journals.state', '!=', 'superseded')
    .orderBy('journals.created_at')
    .execute();
  const flagged = await db
    .selectFrom('records')
    .innerJoin('journals', 'journals.id', 'records.journal_id')
    .innerJoin('candidates', 'candidates.id', 'journals.candidate_id')
    .select(['journals.candidate_id', 'records.kind', 'records.payload'])
    .where('candidates.exam_id', '=', examId)
    .where('records.kind', 'not in', ['answer.saved', 'sync.nonce', 'instruction.applied'])
    .execute();
  const flags = new Map<string, CandidateRow['flags']>();
  for (const record of flagged) {
    const severity = severityFor(record.kind, JSON.parse(record.payload), policy);
    if (severity === 'info') continue;
    const counts = flags.get(record.candidate_id) ?? { low: 0, medium: 0, high: 0 };
    counts[severity] += 1;
    flags.set(record.candidate_id, counts);
  }
  // What the server flagged itself (late answers, held hand-ins, quarantined records).
  for (const flag of await serverFlags(
    db,
    candidates.map((candidate) => candidate.id),
  )) {
    const counts = flags.get(flag.candidate_id) ?? { low: 0, medium: 0, high: 0 };
    counts[flag.severity as keyof CandidateRow['flags']] += 1;
    flags.set(flag.candidate_id, counts);
  }
  const now = context.now();
  return candidates.map((candidate) => {
    // The newest non-superseded journal speaks for the candidate.
    const journal = journals.filter((j) => j.candidate_id === candidate.id).at(-1) ?? null;
    return {
      id: candidate.id,
      candidateNumber: candidate.candidate_number,
      name: candidate.name,
      extraMinutes: candidate.extra_minutes,
      state: candidateState(
        journal && {
          state: journal.state,
          status: journal.status,
          lastSeenAt: journal.last_seen_at,
          submitted: journal.submitted !== null,
        },
        now,
      ),
      lastSeenAt: journal?.last_seen_at ?? null,
      clientVersion: journal?.client_version ?? null,
      watermark: journal?.watermark ?? 0,
      flags: flags.get(candidate.id) ?? { low: 0, medium: 0, high: 0 },
    };
  });
}

/** The exam an admin route names, or a 404 that says so. */
async function requireExam(context: ServerContext, examId: string): Promise<Exam> {
  const exam = await findExam(context.storage.db, examId);
  if (!exam) throw new HttpError(404, 'not-found', 'No such exam.');
  return exam;
}

export const examRoutes: StaffRouteDef[] = [
  {
    method: 'GET',
    url: '/exams',
    access: 'signed-in',
    action: 'exams.list',
    handler: async ({ user }, context) => {
      const { db } = context.storage;
      let query = db
        .selectFrom('exams')
        .select(['id', 'code', 'title', 'opens_at', 'closes_at'])
        .orderBy('opens_at');
      if (user.role !== 'admin') {
        query = query.where(
          'id',
          'in',
          db.selectFrom('assignments').select('exam_id').where('user_id', '=', user.id),
        );
      }
      const exams = await query.execute();
      return {
        exams: exams.map((e) => ({
          id: e.id,
          code: e.code,
          title: e.title,
          opensAt: e.opens_at,
          closesAt: e.closes_at,
        })),
      };
    },
  },
  {
    method: 'POST',
    url: '/exams',
    access: 'admin',
    action: 'exams.create',
    handler: async ({ request, note }, context) => {
      const parsed = parseExamFile(request.body);
      if (!parsed.ok) throw new HttpError(400, 'invalid-exam', parsed.problems.join('; '));
      const { db } = context.storage;
      if (await findExamByCode(db, parsed.value.code)) {
        throw new HttpError(
          409,
          'exists',
          `An exam with code ${parsed.value.code} already exists.`,
        );
      }
      const exam = await insertExam(db, parsed.value, context.now());
      note(`created ${exam.code}`);
      return { exam: { id: exam.id, code: exam.code, title: exam.title } };
    },
  },
  {
    method: 'PATCH',
    url: '/exams/:examId',
    access: 'admin',
    action: 'exams.update',
    schema: { body: examUpdateSchema },
    handler: async ({ request, params, note }, context) => {
      const body = examUpdateSchema.parse(request.body);
      const exam = await requireExam(context, params.examId!);
      const changes: { opens_at?: number; closes_at?: number; policy?: string } = {};
      if (body.window) {
        const [opensAt, closesAt] = [
          Date.parse(body.window.opensAt),
          Date.parse(body.window.closesAt),
        ];
        if (closesAt <= opensAt)
          throw new HttpError(400, 'invalid-window', 'window.closesAt must be after opensAt');
        Object.assign(changes, { opens_at: opensAt, closes_at: closesAt });
      }
      if (body.policy) {
        const parsed = parseWith(examPolicySchema, body.policy, 'policy');
        if (!parsed.ok) throw new HttpError(400, 'invalid-policy', parsed.problems.join('; '));
        changes.policy = canonicalJson(parsed.value);
      }
      if (Object.keys(changes).length === 0) {
        note('changed nothing');
        return { updated: false };
      }
      await context.storage.db
        .updateTable('exams')
        .set(changes)
        .where('id', '=', exam.id)
        .execute();
      note(`changed ${Object.keys(changes).join(', ') || 'nothing'}`);
      return { updated: true };
    },
  },
  {
    method: 'PUT',
    url: '/exams/:examId/invigilators/:userId',
    access: 'admin',
    action: 'assignments.add',
    handler: async ({ params }, context) => {
      const user = await context.storage.db
        .selectFrom('staff_users')
        .select(['id', 'role'])
        .where('id', '=', params.userId!)
        .executeTakeFirst();
      if (!user) throw new HttpError(404, 'not-found', 'No such staff account.');
      const exam = await requireExam(context, params.examId!);
      await assign(context.storage.db, user.id, exam.id);
      return { assigned: true };
    },
  },
  {
    method: 'DELETE',
    url: '/exams/:examId/invigilators/:userId',
    access: 'admin',
    action: 'assignments.remove',
    handler: async ({ params }, context) => {
      await unassign(context.storage.db, params.userId!, params.examId!);
      return { assigned: false };
    },
  },
  {
    method: 'POST',
    url: '/exams/:examId/candidates/import',
    access: 'admin',
    action: 'candidates.import',
    handler: async ({ request, params, note }, context) => {
      const examRow = await requireExam(context, params.examId!);
      if (!(request.body instanceof Uint8Array)) {
        throw new HttpError(415, 'unsupported-media-type', 'Upload the file as text/csv.');
      }
      const report = await importCandidates(context.storage.db, examRow.id, request.body);
      note(`imported ${report.imported}, ${report.errors.length} rows refused`);
      return report;
    },
  },
  {
    method: 'GET',
    url: '/exams/:examId/candidates',
    access: 'exam',
    action: 'candidates.list',
    handler: async ({ exam }, context) => ({ candidates: await candidateRows(context, exam!.id) }),
  },
  {
    method: 'POST',
    url: '/exams/:examId/candidates/:candidateId/extra-time',
    access: 'exam',
    action: 'candidates.extra-time',
    schema: {
      body: z.strictObject({
        minutes: z
          .int()
          .min(1)
          .max(24 * 60),
      }),
    },
    // Added time is an add-time instruction, as from the instructions route; the candidate's
    // own allowance (extra_minutes, from the import) stays what the exam package says. Raising
    // both counted the minutes twice, and could push the allowance past what a package may
    // carry (24 h), after which the candidate could not fetch the exam at all.
    handler: async ({ request, params, exam, note }, context) => {
      const { minutes } = request.body as { minutes: number };
      const { db } = context.storage;
      await queueInstruction(db, params.candidateId!, { kind: 'add-time', minutes }, context.now());
      note(`+${minutes} min`);
      const deadline = await candidateDeadline(db, exam!, params.candidateId!);
      return { extraMinutes: Math.round((deadline - exam!.closesAt) / 60_000) };
    },
  },
];
