import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';

import { STAFF_API_PREFIX } from '../src/common/staff-api';
import { createStaffUser } from '../src/server/repositories/staff';
import { DIALECTS, freshStorage } from '../test/support/databases';
import { testServer } from '../test/support/server';

import { BENCH_STAFF_PASSWORD, staffSessionCookie } from './harness';
import { report } from './report';

/**
 * The live feed at 5,000 candidates, on its own: what the server spends telling 50 dashboards
 * (one per 100 candidates, as in the load bench) about 1,000 uploads a second (each candidate
 * every 5 s). The changes go into the server's feed as ingest reports them (a flag is a
 * change like any other: events name ids only); the dashboards are a separate process reading the streams, so this
 * process's CPU is the server's. Reported, in % of one core: publishing with no dashboard
 * connected, and with the 50 (goal: < 10 % above idle), with the events each dashboard got.
 */
const CANDIDATES = Number(process.env.VAKT_BENCH_LIVE_CANDIDATES ?? 5_000);
const STREAMS = Math.ceil(CANDIDATES / 100);
const UPLOADS_PER_SECOND = CANDIDATES / 5;
const SECONDS = 10;

/** The dashboards: STREAMS event streams, counting the events each gets until SIGTERM. */
const DASHBOARDS = `
const [url, cookie, count] = process.argv.slice(1);
let events = 0;
const controllers = [];
for (let i = 0; i < Number(count); i += 1) {
  const controller = new AbortController();
  controllers.push(controller);
  fetch(url, { headers: { cookie }, signal: controller.signal }).then(async (response) => {
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      events += decoder.decode(value).split('event:').length - 1;
    }
  }).catch(() => {});
}
process.stdout.write('ready\\n');
process.on('SIGTERM', () => {
  for (const controller of controllers) controller.abort();
  process.stdout.write(String(events) + '\\n');
  process.exit(0);
});
`;

const cpu = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

for (const dialect of DIALECTS) {
  const db = await freshStorage(dialect);
  const server = await testServer(db.storage);
  await createStaffUser(
    db.storage.db,
    { email: 'bench@vakt.test', name: 'Bench', role: 'admin', password: BENCH_STAFF_PASSWORD },
    0,
  );
  const base = await server.app.listen({ host: '127.0.0.1', port: 0 });
  const examId = server.exam.id;
  const candidates = Array.from({ length: CANDIDATES }, () => randomUUID());

  /** Publishes a second's uploads in 10 ms ticks for `seconds`; returns CPU % of one core. */
  async function publishing(seconds: number): Promise<number> {
    const perTick = UPLOADS_PER_SECOND / 100;
    let sent = 0;
    const before = cpu();
    const started = performance.now();
    const timer = setInterval(() => {
      for (let i = 0; i < perTick; i += 1) {
        const candidateId = candidates[sent % CANDIDATES]!;
        sent += 1;
        server.feed.changed(examId, candidateId);
      }
    }, 10);
    await sleep(seconds * 1_000);
    clearInterval(timer);
    return ((cpu() - before) / ((performance.now() - started) / 1_000)) * 100;
  }

  const idleBefore = cpu();
  await sleep(SECONDS * 1_000);
  const idle = ((cpu() - idleBefore) / SECONDS) * 100;
  const alone = await publishing(SECONDS);

  const cookie = await staffSessionCookie(base, 'bench@vakt.test');
  const url = `${base}${STAFF_API_PREFIX}/exams/${examId}/events`;
  const dashboards = spawn(process.execPath, ['-e', DASHBOARDS, url, cookie, String(STREAMS)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  dashboards.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  while (!output.includes('ready')) await sleep(50);
  await sleep(1_000); // every stream connected
  const watched = await publishing(SECONDS);
  dashboards.kill('SIGTERM');
  await new Promise((resolve) => dashboards.once('exit', resolve));
  const events = Number(output.trim().split('\n').at(-1));

  const label = `${dialect}, ${CANDIDATES} candidates, ${STREAMS} dashboards`;
  report('live', `${label}: server CPU idle`, idle, '% of one core');
  report('live', `${label}: publishing, no dashboard, above idle`, alone - idle, '% of one core');
  report(
    'live',
    `${label}: publishing to the dashboards, above idle`,
    watched - idle,
    '% of one core',
  );
  report(
    'live',
    `${label}: events per dashboard per second`,
    events / STREAMS / SECONDS,
    'events/s',
  );
  await server.app.close(); // closes the feed too
  await db.cleanup();
}
