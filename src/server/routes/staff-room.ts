import type { RoomInstructionResult } from '../../common/staff-api';
import { STAFF_ROUTE_TABLE } from '../../common/staff-routes';
import { HttpError } from '../errors';
import { instruct } from '../exams/instruct';
import { candidateIdsOf } from '../repositories/candidates';

import { staffRoute, type StaffRouteDef } from './staff-guard';

/** What an invigilator does for the whole room, or for the candidates they selected. */
export const roomRoutes: StaffRouteDef[] = [
  staffRoute(STAFF_ROUTE_TABLE.instructRoom, {
    access: 'exam',
    action: 'candidates.instruct-room',
    handler: async ({ body, exam, note }, context) => {
      const { db } = context.storage;
      const ofExam = await candidateIdsOf(db, exam.id);
      const named = body.candidates === 'all' ? ofExam : [...new Set(body.candidates)];
      const known = new Set(ofExam);
      const now = context.now();
      const result: RoomInstructionResult = { sent: 0, refused: [] };
      const sentTo: string[] = [];
      // One transaction: all queued or none, and one commit however large the room.
      await db.transaction().execute(async (trx) => {
        for (const candidateId of named) {
          if (!known.has(candidateId)) {
            result.refused.push({
              candidateId,
              code: 'not-found',
              message: 'No such candidate in this exam.',
            });
            continue;
          }
          try {
            const { kind, minutes, reason, text } = body;
            await instruct(
              trx,
              context.storage.dialect,
              candidateId,
              { kind, minutes, reason, text },
              now,
            );
            sentTo.push(candidateId);
          } catch (error) {
            if (!(error instanceof HttpError) || error.statusCode === 400) throw error;
            result.refused.push({ candidateId, code: error.code, message: error.message });
          }
        }
      });
      result.sent = sentTo.length;
      // One audit entry for the room, naming everyone it went to.
      note(
        `${body.kind}${body.minutes ? ` +${body.minutes} min` : ''} for ${sentTo.length} of ${named.length}: ${sentTo.join(' ')}`,
      );
      for (const candidateId of sentTo) context.live.candidate(exam.id, candidateId);
      return result;
    },
  }),
];
