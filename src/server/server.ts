import { join } from 'node:path';

import { buildApp } from './app';
import { composeServer } from './compose';
import { ConfigError, loadServerConfig } from './config';
import { migrate, openStorage } from './db/database';
import { DEMO_CANDIDATE, seedDemo } from './exams/demo';
import { ExamFileError } from './exams/exam-file';
import { loadServerKeys } from './keys';
import { LocalLiveFeed, PostgresLiveFeed } from './live/live-feed';
import { packageRoot } from './paths';
import { startHandovers } from './privacy/handover-sender';
import { scheduleRetention } from './privacy/retention-run';

/** Where `npm run build` puts the dashboard (vite.dashboard.config.ts). */
const DASHBOARD_DIR = join(packageRoot(), 'dist/dashboard');

/** The composition root: configuration, storage, keys, app; then listen until a signal. */
export async function serve(): Promise<void> {
  const config = loadServerConfig();
  const storageOptions = {
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    schema: config.databaseSchema,
  };
  // Migrations on a connection of their own: the serving pool keeps query plans, which a
  // schema change under it would make stale.
  const migrating = openStorage(storageOptions);
  try {
    await migrate(migrating.db, migrating.schema ?? undefined);
  } finally {
    await migrating.close();
  }
  const storage = openStorage({ ...storageOptions, prepare: true });
  const keys = loadServerKeys(config.dataDir);
  const feed =
    storage.dialect === 'postgres' && config.databaseUrl
      ? await PostgresLiveFeed.connect(config.databaseUrl, storage.schema ?? 'public')
      : new LocalLiveFeed();
  if (config.demo) {
    const demo = await seedDemo(storage.db, Date.now());
    console.log(
      `Demo exam ${demo.examCode}: candidate ${DEMO_CANDIDATE.candidateNumber}, personal code "${DEMO_CANDIDATE.personalCode}"`,
    );
  }
  const app = await buildApp({
    context: composeServer({
      storage,
      keys,
      publicUrl: config.publicUrl,
      minClientVersion: config.minClientVersion,
      waitingRoomMinutes: config.waitingRoomMinutes,
      updatesDir: config.updatesDir,
      dashboardDir: DASHBOARD_DIR,
      now: Date.now,
      feed,
      ...(config.handover ? { handover: config.handover } : {}),
      schoolYearEnd: config.schoolYearEnd,
    }),
    trustProxy: config.trustProxy,
    // Errors (every 5xx) are always logged; VAKT_LOG=1 adds every request.
    logger: { level: process.env.VAKT_LOG === '1' ? 'info' : 'error' },
  });

  const address = await app.listen({ host: config.host, port: config.port });
  console.log(`Vakt exam server listening on ${address}`);
  console.log(`  public URL:      ${config.publicUrl}`);
  console.log(`  dashboard:       ${address}/dashboard/`);
  console.log(`  health:          ${address}/api/health`);
  console.log(`  API description: ${address}/api/openapi.json`);
  console.log(
    `  storage:         ${storage.dialect === 'sqlite' ? `SQLite in ${config.dataDir}` : 'PostgreSQL'}`,
  );
  console.log(
    `  signing key:     ${keys.signing.publicKey} (pin this in the client's managed configuration)`,
  );

  const stopRetention = config.retentionDaily
    ? scheduleRetention(storage, {
        schoolYearEnd: config.schoolYearEnd,
        now: Date.now,
        log: (line) => console.log(line),
      })
    : () => undefined;
  console.log(
    `  retention:       ${config.retentionDaily ? 'daily' : 'off (VAKT_RETENTION=off)'}, school year ends ${String(config.schoolYearEnd.day).padStart(2, '0')}.${String(config.schoolYearEnd.month).padStart(2, '0')}.`,
  );

  const stopHandovers = config.handover
    ? startHandovers(storage, config.handover, {
        now: Date.now,
        log: (line) => console.error(line),
      })
    : () => undefined;
  console.log(
    `  hand-over:       ${config.handover ? config.handover.url : 'off (no VAKT_HANDOVER_URL)'}`,
  );

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    console.log(`${signal} received: finishing open requests, then stopping`);
    stopRetention();
    stopHandovers();
    app
      .close()
      .then(() => storage.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          console.error('Shutdown failed:', error);
          process.exit(1);
        },
      );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

/** Explains a failure to start in one line a person can act on, then exits. */
export function exitOnStartError(error: unknown): never {
  if (error instanceof ConfigError || error instanceof ExamFileError) {
    console.error(`Vakt server cannot start: ${error.message}`);
  } else {
    console.error('Vakt server stopped on an unexpected error:', error);
  }
  process.exit(1);
}
