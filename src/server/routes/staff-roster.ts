import { STAFF_ROUTE_TABLE } from '../../common/staff-routes';
import { editCandidate, issueCodes, removeCandidate } from '../exams/candidates';

import { staffRoute, type StaffRouteDef } from './staff-guard';

/** An exam's candidates fixed on the day by an admin: details, new codes and slips, removal. */
export const rosterRoutes: StaffRouteDef[] = [
  staffRoute(STAFF_ROUTE_TABLE.updateCandidate, {
    access: 'admin',
    action: 'candidates.update',
    handler: async ({ body, params, note }, context) => {
      await editCandidate(context.storage.db, params.examId, params.candidateId, body);
      note(
        [
          body.name !== undefined ? 'name' : null,
          body.extraMinutes !== undefined ? `extra ${body.extraMinutes} min` : null,
        ]
          .filter((part) => part !== null)
          .join(', '),
      );
      context.live.candidate(params.examId, params.candidateId);
      return { updated: true };
    },
  }),
  staffRoute(STAFF_ROUTE_TABLE.removeCandidate, {
    access: 'admin',
    action: 'candidates.remove',
    handler: async ({ params }, context) => {
      await removeCandidate(context.storage.db, params.examId, params.candidateId);
      // Open dashboards ask for the row again and find it gone.
      context.live.candidate(params.examId, params.candidateId);
      return { removed: true };
    },
  }),
  staffRoute(STAFF_ROUTE_TABLE.issueCodes, {
    access: 'admin',
    action: 'candidates.new-codes',
    handler: async ({ body, params, note }, context) => {
      const slips = await issueCodes(context.storage.db, params.examId, body.candidates);
      // Who got a new code; never the codes.
      note(`${slips.length}: ${slips.map((slip) => slip.candidateNumber).join(' ')}`);
      return { slips };
    },
  }),
];
