import { randomUUID } from 'node:crypto';

import {
  reviewRequestSchema,
  staffInstructionSchema,
  type TimelineEntry,
} from '../../common/staff-api';
import type { ServerContext } from '../context';
import { toCsv } from '../csv';
import { HttpError } from '../errors';
import { queueInstruction } from '../repositories/instructions';
import { approveSecondDevice } from '../repositories/journals';
import { severityFor } from '../severity';

import { candidateRows } from './staff-exams';
import type { StaffRouteDef } from './staff-guard';

async function timeline(
  context: ServerContext,
  candidateId: string,
  policy: Parameters<typeof severityFor>[2],
): Promise<TimelineEntry[]> {
  const { db } = context.storage;
  const records = await db
    .selectFrom('records')
    .innerJoin('journals', 'journals.id', 'records.journal_id')
    .selectAll('records')
    .where('journals.candidate_id', '=', candidateId)
    .orderBy('records.received_at')
    .orderBy('records.journal_id')
    .orderBy('records.seq')
    .execute();
  const reviews = await db
    .selectFrom('flag_reviews')
    .innerJoin('journals', 'journals.id', 'flag_reviews.journal_id')
    .innerJoin('staff_users', 'staff_users.id', 'flag_reviews.reviewer_id')
    .select([
      'flag_reviews.journal_id',
      'flag_reviews.seq',
      'flag_reviews.decision',
      'flag_reviews.comment',
      'flag_reviews.at',
      'staff_users.email',
    ])
    .where('journals.candidate_id', '=', candidateId)
    .orderBy('flag_reviews.at')
    .execute();
  return records.map((record) => {
    const payload = JSON.parse(record.payload) as unknown;
    return {
      journalId: record.journal_id,
      seq: record.seq,
      kind: record.kind,
      severity: severityFor(record.kind, payload, policy),
      payload,
      clientAt: record.client_at,
      notBefore: record.not_before,
      receivedAt: record.received_at,
      clockSuspect:
        record.client_at > record.received_at ||
        (record.not_before !== null && record.client_at < record.not_before),
      reviews: reviews
        .filter((r) => r.journal_id === record.journal_id && r.seq === record.seq)
        .map((r) => ({ decision: r.decision, comment: r.comment, reviewer: r.email, at: r.at })),
    };
  });
}

export const candidateRoutes: StaffRouteDef[] = [
  {
    method: 'GET',
    url: '/exams/:examId/candidates/:candidateId/timeline',
    access: 'exam',
    action: 'candidates.view-timeline',
    handler: async ({ exam, params }, context) => ({
      entries: await timeline(context, params.candidateId!, exam!.policy),
    }),
  },
  {
    method: 'POST',
    url: '/exams/:examId/candidates/:candidateId/reviews',
    access: 'exam',
    action: 'flags.review',
    schema: { body: reviewRequestSchema },
    handler: async ({ request, params, user, note }, context) => {
      const body = reviewRequestSchema.parse(request.body);
      const { db } = context.storage;
      const record = await db
        .selectFrom('records')
        .innerJoin('journals', 'journals.id', 'records.journal_id')
        .select('records.seq')
        .where('records.journal_id', '=', body.journalId)
        .where('records.seq', '=', body.seq)
        .where('journals.candidate_id', '=', params.candidateId!)
        .executeTakeFirst();
      if (!record)
        throw new HttpError(404, 'not-found', "No such record in this candidate's timeline.");
      await db
        .insertInto('flag_reviews')
        .values({
          id: randomUUID(),
          journal_id: body.journalId,
          seq: body.seq,
          decision: body.decision,
          comment: body.comment,
          reviewer_id: user.id,
          at: context.now(),
        })
        .execute();
      note(`${body.decision} ${body.journalId}#${body.seq}`);
      return { reviewed: true };
    },
  },
  {
    method: 'POST',
    url: '/exams/:examId/candidates/:candidateId/instructions',
    access: 'exam',
    action: 'candidates.instruct',
    schema: { body: staffInstructionSchema },
    handler: async ({ request, params, note }, context) => {
      const body = staffInstructionSchema.parse(request.body);
      const { db } = context.storage;
      if (body.kind === 'approve-device') {
        const journal = await db
          .selectFrom('journals')
          .select(['id', 'state'])
          .where('id', '=', body.journalId ?? '')
          .where('candidate_id', '=', params.candidateId!)
          .executeTakeFirst();
        if (!journal || journal.state !== 'awaiting-approval') {
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
      if (body.kind === 'add-time' && body.minutes === undefined) {
        throw new HttpError(400, 'invalid-request', 'add-time needs minutes');
      }
      const id = await queueInstruction(
        db,
        params.candidateId!,
        { kind: body.kind, ...(body.minutes ? { minutes: body.minutes } : {}) },
        context.now(),
      );
      note(`${body.kind} ${id}`);
      return { id };
    },
  },
  {
    method: 'GET',
    url: '/exams/:examId/report.csv',
    access: 'exam',
    action: 'reports.export',
    handler: async ({ exam, reply }, context) => {
      const rows = await candidateRows(context, exam!.id);
      const csv = toCsv([
        [
          'candidate_number',
          'name',
          'state',
          'flags_high',
          'flags_medium',
          'flags_low',
          'last_seen',
          'client_version',
        ],
        ...rows.map((row) => [
          row.candidateNumber,
          row.name,
          row.state,
          row.flags.high,
          row.flags.medium,
          row.flags.low,
          row.lastSeenAt === null ? '' : new Date(row.lastSeenAt).toISOString(),
          row.clientVersion,
        ]),
      ]);
      void reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="vakt-${exam!.code}-incidents.csv"`);
      return csv;
    },
  },
];
