import { canonicalJson } from '../../common/canonical-json';
import { examPolicySchema } from '../../common/policy';
import { STAFF_ROUTE_TABLE } from '../../common/staff-routes';
import { parseWith } from '../../common/validation';
import type { ServerContext } from '../context';
import { HttpError, InvalidInputError } from '../errors';
import { importCandidates } from '../exams/candidate-import';
import { parseExamFileIn, staffLanguage } from '../exams/exam-file-problems';
import { DEFAULT_SCHOOL_YEAR_END, retentionDate } from '../privacy/retention';
import { candidateRows } from '../repositories/candidate-rows';
import {
  declareGradesFinal,
  examsFor,
  findExam,
  findExamByCode,
  insertExam,
  updateExam,
  type Exam,
  type ExamChanges,
} from '../repositories/exams';
import { examHasJournals } from '../repositories/journals';
import { assign, assignedTo, findStaffById, unassign } from '../repositories/staff';

import { staffRoute, type StaffRouteDef } from './staff-guard';

/** The exam an admin route names, or a 404 that says so. */
async function requireExam(context: ServerContext, examId: string): Promise<Exam> {
  const exam = await findExam(context.storage.db, examId);
  if (!exam) throw new HttpError(404, 'not-found', 'No such exam.');
  return exam;
}

/**
 * An exam whose retention date has passed would be deleted, with its candidates' data, at the
 * next retention run: refused, whatever would bring it there.
 */
function refusePassedRetention(
  context: ServerContext,
  exam: { closes_at: number; retain_until: number | null },
): void {
  const date = retentionDate(exam, context.schoolYearEnd ?? DEFAULT_SCHOOL_YEAR_END);
  if (date <= context.now())
    throw new HttpError(
      400,
      'invalid-retention-date',
      `The exam's retention date would be ${new Date(date).toISOString().slice(0, 10)}, already passed: the next retention run would delete its candidates’ data. Choose a date in the future.`,
      {},
      { date: new Date(date).toISOString().slice(0, 10) },
    );
}

export const examRoutes: StaffRouteDef[] = [
  staffRoute(STAFF_ROUTE_TABLE.exams, {
    access: 'signed-in',
    action: 'exams.list',
    handler: async ({ user }, context) => ({ exams: await examsFor(context.storage.db, user) }),
  }),
  staffRoute(STAFF_ROUTE_TABLE.createExam, {
    access: 'admin',
    action: 'exams.create',
    handler: async ({ request, note }, context) => {
      // The problems in the staff member's language (the dashboard sends it).
      const language = staffLanguage(request.headers['accept-language']);
      const parsed = parseExamFileIn(request.body, language);
      if (!parsed.ok) throw new InvalidInputError('invalid-exam', parsed.problems);
      const { db } = context.storage;
      const closesAt = Date.parse(parsed.value.window.closesAt);
      refusePassedRetention(context, { closes_at: closesAt, retain_until: null });
      if (await findExamByCode(db, parsed.value.code)) {
        throw new HttpError(
          409,
          'exists',
          `An exam with code ${parsed.value.code} already exists.`,
          {},
          { what: parsed.value.code },
        );
      }
      const exam = await insertExam(db, parsed.value, context.now());
      note(`created ${exam.code}`);
      return { exam: { id: exam.id, code: exam.code, title: exam.title } };
    },
  }),
  staffRoute(STAFF_ROUTE_TABLE.updateExam, {
    access: 'admin',
    action: 'exams.update',
    handler: async ({ body, params, note }, context) => {
      const exam = await requireExam(context, params.examId);
      const changes: ExamChanges = {};
      if (body.title !== undefined) changes.title = body.title;
      // The window and the policy are in the signed package every laptop holds (and the policy
      // in its config key): once a candidate has signed in, a change would not reach them, or
      // would lock them out. Time for a room goes through Add time instead.
      const rules = body.window || body.policy || body.durationMinutes !== undefined;
      if (rules && (await examHasJournals(context.storage.db, exam.id))) {
        throw new HttpError(
          409,
          'exam-started',
          'Candidates have signed in: the window and the rules can no longer change. Use Add time for the room instead.',
        );
      }
      if (body.window) {
        const [opensAt, closesAt] = [
          Date.parse(body.window.opensAt),
          Date.parse(body.window.closesAt),
        ];
        if (closesAt <= opensAt)
          throw new HttpError(400, 'invalid-window', 'window.closesAt must be after opensAt');
        Object.assign(changes, { opens_at: opensAt, closes_at: closesAt });
      }
      if (body.retainUntil !== undefined) changes.retain_until = body.retainUntil;
      // Whatever moves the retention date (a date set, a date cleared, a window moved into the
      // past), the date the exam ends up with must not have passed.
      if (changes.closes_at !== undefined || changes.retain_until !== undefined) {
        const stored = await context.storage.db
          .selectFrom('exams')
          .select(['closes_at', 'retain_until'])
          .where('id', '=', exam.id)
          .executeTakeFirstOrThrow();
        refusePassedRetention(context, {
          closes_at: changes.closes_at ?? stored.closes_at,
          retain_until:
            changes.retain_until !== undefined ? changes.retain_until : stored.retain_until,
        });
      }
      if (body.policy || body.durationMinutes !== undefined) {
        const parsed = parseWith(examPolicySchema, body.policy ?? exam.policy, 'policy');
        if (!parsed.ok) throw new HttpError(400, 'invalid-policy', parsed.problems.join('; '));
        const policy = parsed.value;
        if (body.durationMinutes !== undefined)
          policy.timing.durationMinutes = body.durationMinutes;
        if (canonicalJson(policy) !== canonicalJson(exam.policy))
          changes.policy = canonicalJson(policy);
      }
      let gradesFinal: number | null = null;
      if (body.gradesFinal)
        gradesFinal = await declareGradesFinal(context.storage.db, exam.id, context.now());
      if (Object.keys(changes).length === 0 && gradesFinal === null) {
        note('changed nothing');
        return { updated: false };
      }
      if (Object.keys(changes).length > 0) await updateExam(context.storage.db, exam.id, changes);
      const final =
        gradesFinal === null ? [] : [`grades final since ${new Date(gradesFinal).toISOString()}`];
      note(`changed ${[...Object.keys(changes), ...final].join(', ')}`);
      return { updated: true };
    },
  }),
  staffRoute(STAFF_ROUTE_TABLE.invigilators, {
    access: 'admin',
    action: 'assignments.list',
    handler: async ({ params }, context) => {
      const exam = await requireExam(context, params.examId);
      return { userIds: await assignedTo(context.storage.db, exam.id) };
    },
  }),
  staffRoute(STAFF_ROUTE_TABLE.assign, {
    access: 'admin',
    action: 'assignments.add',
    handler: async ({ params }, context) => {
      const user = await findStaffById(context.storage.db, params.userId);
      if (!user) throw new HttpError(404, 'not-found', 'No such staff account.');
      const exam = await requireExam(context, params.examId);
      await assign(context.storage.db, user.id, exam.id);
      return { assigned: true };
    },
  }),
  staffRoute(STAFF_ROUTE_TABLE.unassign, {
    access: 'admin',
    action: 'assignments.remove',
    handler: async ({ params }, context) => {
      await unassign(context.storage.db, params.userId, params.examId);
      return { assigned: false };
    },
  }),
  staffRoute(STAFF_ROUTE_TABLE.importCandidates, {
    access: 'admin',
    action: 'candidates.import',
    handler: async ({ request, params, note }, context) => {
      const examRow = await requireExam(context, params.examId);
      if (!(request.body instanceof Uint8Array)) {
        throw new HttpError(415, 'unsupported-media-type', 'Upload the file as text/csv.');
      }
      const report = await importCandidates(context.storage.db, examRow.id, request.body);
      note(`imported ${report.imported}, ${report.errors.length} rows refused`);
      // New rows for every open dashboard of the exam.
      if (report.imported > 0) context.live.resync(examRow.id);
      return report;
    },
  }),
  staffRoute(STAFF_ROUTE_TABLE.candidates, {
    access: 'exam',
    action: 'candidates.list',
    quietWhenOk: (request) => (request.query as { ids?: unknown }).ids !== undefined,
    // `ids`: only these rows, as a dashboard asks for the candidates a live update named.
    handler: async ({ exam, query }, context) => {
      const { ids } = query;
      return { candidates: await candidateRows(context.storage.db, exam, context.now(), ids) };
    },
  }),
];
