import { STAFF_ROUTE_TABLE } from '../../common/staff-routes';
import { heldHandIns } from '../repositories/hand-ins';

import { staffRoute, type StaffRouteDef } from './staff-guard';

/** 100,000 records (MAX_HAND_IN_RECORDS) of hex-sealed JSON fit inside this. */
export const HAND_IN_BODY_LIMIT = 64 * 1024 * 1024;

export const handInRoutes: StaffRouteDef[] = [
  staffRoute(STAFF_ROUTE_TABLE.handIn, {
    access: 'exam',
    action: 'hand-in.upload',
    bodyLimit: HAND_IN_BODY_LIMIT,
    rawBody: true,
    handler: async ({ request, reply, exam, user, note }, context) => {
      const { note: detail, ...outcome } = await context.handIns.upload(
        request.body as Buffer,
        exam,
        user.id,
      );
      note(detail);
      if (outcome.held) void reply.code(202);
      return outcome;
    },
  }),
  staffRoute(STAFF_ROUTE_TABLE.heldHandIns, {
    access: 'exam',
    action: 'hand-in.list-held',
    handler: async ({ exam }, context) => ({
      held: await heldHandIns(context.storage.db, exam.id),
    }),
  }),
];
