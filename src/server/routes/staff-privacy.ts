import type { LegalHoldView } from '../../common/staff-api';
import { STAFF_ROUTE_TABLE } from '../../common/staff-routes';
import { HttpError } from '../errors';
import { DEFAULT_SCHOOL_YEAR_END, retentionDate } from '../privacy/retention';
import { subjectAccessExport } from '../privacy/subject-access';
import { isCandidateOf } from '../repositories/candidates';
import { findExam } from '../repositories/exams';
import { abandonHandover, retryHandover, undeliveredHandovers } from '../repositories/handovers';
import {
  listLegalHolds,
  openLegalHold,
  releaseLegalHold,
  type LegalHold,
} from '../repositories/legal-holds';

import { staffRoute, type StaffRouteDef } from './staff-guard';

function view(hold: LegalHold): LegalHoldView {
  return {
    id: hold.id,
    examId: hold.exam_id,
    candidateId: hold.candidate_id,
    reason: hold.reason,
    reviewAt: hold.review_at,
    openedBy: hold.opened_by,
    openedAt: hold.opened_at,
    releasedBy: hold.released_by,
    releasedAt: hold.released_at,
  };
}

/**
 * Legal holds and undelivered hand-overs (docs/privacy.md): admins only; every call is audited
 * by the guard.
 */
export const privacyRoutes: StaffRouteDef[] = [
  staffRoute(STAFF_ROUTE_TABLE.subjectAccess, {
    access: 'admin',
    action: 'subject-access.export',
    handler: async ({ params, reply, note }, context) => {
      const exported = await subjectAccessExport(
        context.storage.db,
        params.examId,
        params.candidateId,
        {
          now: context.now(),
          schoolYearEnd: context.schoolYearEnd ?? DEFAULT_SCHOOL_YEAR_END,
          recipient: context.handover ? new URL(context.handover.url).host : null,
        },
      );
      if (!exported) throw new HttpError(404, 'not-found', 'No such candidate in this exam.');
      note(`candidate ${params.candidateId}`);
      void reply.header(
        'content-disposition',
        `attachment; filename="subject-access-${exported.exam.code}-${params.candidateId}.json"`,
      );
      return exported;
    },
  }),
  staffRoute(STAFF_ROUTE_TABLE.pendingHandovers, {
    access: 'admin',
    action: 'handovers.list',
    handler: async (_call, context) => ({
      pending: (await undeliveredHandovers(context.storage.db)).map((row) => ({
        id: row.id,
        candidateId: row.candidate_id,
        candidateNumber: row.candidate_number,
        examId: row.exam_id,
        examCode: row.exam_code,
        createdAt: row.created_at,
        attempts: row.attempts,
        nextAt: row.next_at,
        lastError: row.last_error,
        deadAt: row.dead_at,
      })),
    }),
  }),
  staffRoute(STAFF_ROUTE_TABLE.retryHandover, {
    access: 'admin',
    action: 'handovers.retry',
    handler: async ({ params, note }, context) => {
      if (!(await retryHandover(context.storage.db, params.handoverId, context.now())))
        throw new HttpError(404, 'not-found', 'No undelivered hand-over with that id.');
      note(`hand-over ${params.handoverId} sent again`);
      return { retried: true as const };
    },
  }),
  staffRoute(STAFF_ROUTE_TABLE.abandonHandover, {
    access: 'admin',
    action: 'handovers.abandon',
    handler: async ({ params, body, note }, context) => {
      if (!(await abandonHandover(context.storage.db, params.handoverId, context.now())))
        throw new HttpError(404, 'not-found', 'No undelivered hand-over with that id.');
      note(`hand-over ${params.handoverId} abandoned: ${body.reason}`);
      return { abandoned: true as const };
    },
  }),
  staffRoute(STAFF_ROUTE_TABLE.retention, {
    access: 'admin',
    action: 'retention.list',
    handler: async (_call, context) => {
      const end = context.schoolYearEnd ?? DEFAULT_SCHOOL_YEAR_END;
      const exams = await context.storage.db
        .selectFrom('exams')
        .select([
          'id',
          'code',
          'title',
          'closes_at',
          'retain_until',
          'grades_final_at',
          'monitoring_removed_at',
        ])
        .orderBy('closes_at', 'desc')
        .execute();
      return {
        exams: exams.map((exam) => ({
          id: exam.id,
          code: exam.code,
          title: exam.title,
          closesAt: exam.closes_at,
          retainUntil: retentionDate(exam, end),
          ownDate: exam.retain_until !== null,
          gradesFinalAt: exam.grades_final_at,
          monitoringRemovedAt: exam.monitoring_removed_at,
        })),
      };
    },
  }),
  staffRoute(STAFF_ROUTE_TABLE.legalHolds, {
    access: 'admin',
    action: 'legal-holds.list',
    handler: async (_call, context) => ({
      holds: (await listLegalHolds(context.storage.db)).map(view),
    }),
  }),
  staffRoute(STAFF_ROUTE_TABLE.openLegalHold, {
    access: 'admin',
    action: 'legal-holds.open',
    handler: async ({ body, user, note }, context) => {
      const { db } = context.storage;
      const exam = await findExam(db, body.examId);
      if (!exam) throw new HttpError(404, 'not-found', 'No such exam.');
      if (body.candidateId !== null && !(await isCandidateOf(db, exam.id, body.candidateId)))
        throw new HttpError(404, 'not-found', 'No such candidate in this exam.');
      if (body.reviewAt <= context.now())
        throw new HttpError(400, 'invalid-review-date', 'reviewAt must be in the future.');
      const hold = await openLegalHold(db, { ...body, openedBy: user.id }, context.now());
      note(
        `hold ${hold.id} on exam ${exam.code}, ${body.candidateId ? `candidate ${body.candidateId}` : 'whole exam'}`,
      );
      return { hold: view(hold) };
    },
  }),
  staffRoute(STAFF_ROUTE_TABLE.releaseLegalHold, {
    access: 'admin',
    action: 'legal-holds.release',
    handler: async ({ params, user }, context) => {
      const released = await releaseLegalHold(
        context.storage.db,
        params.holdId,
        user.id,
        context.now(),
      );
      if (!released) throw new HttpError(404, 'not-found', 'No open legal hold with that id.');
      return { released };
    },
  }),
];
