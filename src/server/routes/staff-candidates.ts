import { canonicalJson } from '../../common/canonical-json';
import type { CandidateDetail } from '../../common/staff-api';
import { STAFF_ROUTE_TABLE } from '../../common/staff-routes';
import { toCsv } from '../csv';
import { HttpError } from '../errors';
import { instruct } from '../exams/instruct';
import { candidateRows } from '../repositories/candidate-rows';
import { examIncidents } from '../repositories/incidents';
import { instructionsFor } from '../repositories/instructions';
import {
  approveSecondDevice,
  getJournal,
  submissionOf,
  waitingDevices,
} from '../repositories/journals';
import { addReview } from '../repositories/reviews';
import { isReviewable, timeline } from '../repositories/timeline';

import { staffRoute, type StaffRouteDef } from './staff-guard';

export const candidateRoutes: StaffRouteDef[] = [
  staffRoute(STAFF_ROUTE_TABLE.timeline, {
    access: 'exam',
    action: 'candidates.view-timeline',
    handler: async ({ params, query }, context) => {
      const asOf = context.now();
      return { ...(await timeline(context.storage.db, params.candidateId, query)), asOf };
    },
  }),
  staffRoute(STAFF_ROUTE_TABLE.candidate, {
    access: 'exam',
    action: 'candidates.view',
    handler: async ({ exam, params }, context): Promise<CandidateDetail> => {
      const { db } = context.storage;
      const [candidate] = await candidateRows(db, exam, context.now(), [params.candidateId]);
      return {
        candidate: candidate!,
        instructions: await instructionsFor(db, params.candidateId),
        submission: await submissionOf(db, params.candidateId),
        waitingDevices: await waitingDevices(db, params.candidateId),
      };
    },
  }),
  staffRoute(STAFF_ROUTE_TABLE.review, {
    access: 'exam',
    action: 'flags.review',
    handler: async ({ body, params, exam, user, note }, context) => {
      const { db } = context.storage;
      if (!(await isReviewable(db, params.candidateId, body.journalId, body.seq)))
        throw new HttpError(404, 'not-found', "No such record in this candidate's timeline.");
      await addReview(db, { ...body, reviewerId: user.id }, context.now());
      note(`${body.decision} ${body.journalId}#${body.seq}`);
      context.live.candidate(exam.id, params.candidateId);
      return { reviewed: true };
    },
  }),
  staffRoute(STAFF_ROUTE_TABLE.reviewMany, {
    access: 'exam',
    action: 'flags.review',
    handler: async ({ body, params, exam, user, note }, context) => {
      const { db } = context.storage;
      const flags = [
        ...new Map(body.flags.map((flag) => [`${flag.journalId}#${flag.seq}`, flag])).values(),
      ];
      // All or none: one flag that is not this candidate's refuses the whole review.
      for (const flag of flags) {
        if (!(await isReviewable(db, params.candidateId, flag.journalId, flag.seq)))
          throw new HttpError(404, 'not-found', "No such record in this candidate's timeline.");
      }
      await db.transaction().execute(async (trx) => {
        for (const flag of flags) {
          await addReview(
            trx,
            { ...flag, decision: body.decision, comment: body.comment, reviewerId: user.id },
            context.now(),
          );
        }
      });
      note(`${body.decision} ${flags.map((flag) => `${flag.journalId}#${flag.seq}`).join(' ')}`);
      context.live.candidate(exam.id, params.candidateId);
      return { reviewed: flags.length };
    },
  }),
  staffRoute(STAFF_ROUTE_TABLE.instruct, {
    access: 'exam',
    action: 'candidates.instruct',
    handler: async ({ body, params, exam, note }, context) => {
      const { db } = context.storage;
      if (body.kind === 'approve-device') {
        const journal = await getJournal(db, body.journalId ?? '');
        if (journal?.candidate_id !== params.candidateId || journal.state !== 'awaiting-approval') {
          throw new HttpError(
            409,
            'nothing-to-approve',
            'That device is not waiting for approval.',
          );
        }
        await approveSecondDevice(db, journal.id);
        note(`approved device ${journal.id}`);
        return { approved: journal.id };
      }
      const { kind, minutes, reason, text } = body;
      const id = await instruct(
        db,
        context.storage.dialect,
        params.candidateId,
        { kind, minutes, reason, text },
        context.now(),
      );
      note(`${body.kind}${body.minutes ? ` +${body.minutes} min` : ''} ${id}`);
      context.live.candidate(exam.id, params.candidateId);
      return { id };
    },
  }),
  staffRoute(STAFF_ROUTE_TABLE.incidents, {
    access: 'exam',
    action: 'reports.view',
    handler: async ({ exam }, context) => ({
      incidents: await examIncidents(context.storage.db, exam.id),
    }),
  }),
  staffRoute(STAFF_ROUTE_TABLE.exportIncidents, {
    access: 'exam',
    action: 'reports.export',
    handler: async ({ exam, note }, context) => {
      const incidents = await examIncidents(context.storage.db, exam.id);
      note(`spreadsheet, ${incidents.length} flags`);
      return { incidents };
    },
  }),
  staffRoute(STAFF_ROUTE_TABLE.reportCsv, {
    access: 'exam',
    action: 'reports.export',
    handler: async ({ exam, reply }, context) => {
      const incidents = await examIncidents(context.storage.db, exam.id);
      const csv = toCsv([
        [
          'candidate_number',
          'name',
          'received_at',
          'severity',
          'event',
          'source',
          'detail',
          'review',
          'reviewer',
          'reviewed_at',
          'comment',
        ],
        ...incidents.map((incident) => [
          incident.candidateNumber,
          incident.name,
          new Date(incident.receivedAt).toISOString(),
          incident.severity,
          incident.kind,
          incident.source,
          canonicalJson(incident.payload),
          incident.review?.decision ?? 'unreviewed',
          incident.review?.reviewer ?? '',
          incident.review ? new Date(incident.review.at).toISOString() : '',
          incident.review?.comment ?? '',
        ]),
      ]);
      void reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="vakt-${exam.code}-incidents.csv"`);
      return csv;
    },
  }),
];
