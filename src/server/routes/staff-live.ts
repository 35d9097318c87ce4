import type { LiveEvent } from '../../common/staff-api';
import { STAFF_ROUTE_TABLE } from '../../common/staff-routes';
import { isAssigned, staffForSession } from '../repositories/staff';

import { STAFF_COOKIE, staffRoute, type StaffRouteDef } from './staff-guard';

/** How stale the stream's own access check may be before the next event is delivered. */
export const LIVE_RECHECK_MS = 1_000;
const PING_MS = 15_000;
/** Waits between access checks that failed on a database error, before the last try. */
const CHECK_RETRY_MS = [250, 1_000, 2_000];

/** An event as SSE text, made once however many streams send it. */
const texts = new WeakMap<LiveEvent, string>();
function sseText(event: LiveEvent): string {
  let text = texts.get(event);
  if (text === undefined) {
    text = `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
    texts.set(event, text);
  }
  return text;
}

/**
 * Server-Sent Events: which candidates of one exam changed, as the live feed coalesced them
 * (the feed is the one place changes wait; each event is written as it comes).
 * Access is checked again every LIVE_RECHECK_MS, before events are delivered and on every
 * ping, so a stream ends when its staff member signs out, is disabled or taken off the exam.
 */
export const liveRoutes: StaffRouteDef[] = [
  staffRoute(STAFF_ROUTE_TABLE.events, {
    access: 'exam',
    action: 'live.subscribe',
    handler: ({ request, reply, exam }, context) => {
      const { db } = context.storage;
      const token = request.cookies[STAFF_COOKIE] ?? '';
      const examId = exam.id;
      reply.hijack();
      const stream = reply.raw;
      stream.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      stream.write(': connected\n\n');
      context.metrics?.liveStreams.inc();

      let ended = false;
      let checkedAt = context.now();
      const check = async (now: number): Promise<boolean> => {
        const user = await staffForSession(db, token, now);
        return user !== null && (user.role === 'admin' || (await isAssigned(db, user.id, examId)));
      };
      const stillAllowed = async (force: boolean): Promise<boolean> => {
        const now = context.now();
        if (!force && now - checkedAt < LIVE_RECHECK_MS) return true;
        checkedAt = now;
        // Again on a database error (connections lost a moment ago, being replaced: slower on
        // a loaded machine), for about three seconds; then give up, and the stream ends.
        for (const waitMs of CHECK_RETRY_MS) {
          try {
            return await check(now);
          } catch {
            await new Promise((resolve) => setTimeout(resolve, waitMs));
          }
        }
        return check(now);
      };
      // One at a time, so events keep their order while access is checked.
      let queue = Promise.resolve();
      const deliver = (write: () => void, force = false) => {
        queue = queue
          .then(async () => {
            if (ended) return;
            if (await stillAllowed(force)) write();
            else {
              stream.write('event: end\ndata: {"reason":"access"}\n\n');
              end();
            }
          })
          .catch(() => end());
      };
      const ping = setInterval(() => deliver(() => stream.write(': ping\n\n'), true), PING_MS);
      // Access is looked at again every LIVE_RECHECK_MS even when nothing happens: a staff
      // member signed out, disabled or taken off the exam stops seeing it within a moment.
      const recheck = setInterval(() => deliver(() => undefined, true), LIVE_RECHECK_MS);
      const end = () => {
        if (ended) return;
        ended = true;
        context.metrics?.liveStreams.dec();
        clearInterval(ping);
        clearInterval(recheck);
        unsubscribe();
        stream.end();
      };
      const unsubscribe = context.feed.subscribe(
        examId,
        (event: LiveEvent) => deliver(() => stream.write(sseText(event))),
        end,
      );
      request.raw.on('close', end);
      return Promise.resolve(undefined);
    },
  }),
];
