import type { StaffRouteDef } from './staff-guard';

/** Server-Sent Events: candidate state changes and new flags for one exam, as they happen. */
export const liveRoutes: StaffRouteDef[] = [
  {
    method: 'GET',
    url: '/exams/:examId/events',
    access: 'exam',
    action: 'live.subscribe',
    handler: ({ request, reply, exam }, context) => {
      reply.hijack();
      const stream = reply.raw;
      stream.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      stream.write(': connected\n\n');
      const ping = setInterval(() => stream.write(': ping\n\n'), 15_000);
      const end = () => {
        clearInterval(ping);
        unsubscribe();
        stream.end();
      };
      const unsubscribe = context.feed.subscribe(
        exam!.id,
        (event) => stream.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`),
        end,
      );
      request.raw.on('close', end);
      return Promise.resolve(undefined);
    },
  },
];
