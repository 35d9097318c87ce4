import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { buildApp } from './app';
import { composeServer } from './compose';
import { ConfigError, loadServerConfig } from './config';
import { migrate, openStorage } from './db/database';
import { DEMO_CANDIDATE, seedDemo } from './exams/demo';
import { loadServerKeys } from './keys';
import { DEFAULT_LIMITS } from './limits';
import { LocalLiveFeed, PostgresLiveFeed } from './live/live-feed';
import { ServerMetrics } from './metrics';
import { packageRoot } from './paths';
import { startHandovers } from './privacy/handover-sender';
import { scheduleRetention } from './privacy/retention-run';

/** How long a stop may take: open requests finish, the last writes reach the disk. */
const SHUTDOWN_MS = 15_000;

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
  let metrics: ServerMetrics | null = null;
  const storage = openStorage({
    ...storageOptions,
    prepare: true,
    onFlush: (writes, ms) => metrics?.flushed(writes, ms),
  });
  // Counted only where someone may read them: no cost on every request otherwise.
  if (config.metricsToken) metrics = new ServerMetrics(storage.db, Date.now, storage.poolStats);
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
      ...(metrics ? { metrics } : {}),
    }),
    ...(config.metricsToken ? { metricsToken: config.metricsToken } : {}),
    trustProxy: config.trustProxy,
    limits: {
      ...DEFAULT_LIMITS,
      maxConnectionsPerAddress: config.maxConnectionsPerAddress,
      // A proxy carries every candidate: its own address is not capped.
      exempt: Array.isArray(config.trustProxy) ? config.trustProxy : [],
    },
    // Errors (every 5xx) are always logged; VAKT_LOG=1 adds every request.
    logger: { level: process.env.VAKT_LOG === '1' ? 'info' : 'error' },
  });

  const address = await listenOrExplain(app, config.host, config.port);
  // Before 0.2.0 the feed's default was inside the data folder, which is now refused.
  if (!process.env.VAKT_UPDATES_DIR && existsSync(join(config.dataDir, 'updates')))
    console.warn(
      `Client updates in ${join(config.dataDir, 'updates')} are no longer served: move them to ${config.updatesDir} (docs/operations.md, "Upgrades").`,
    );
  console.log(`Vakt exam server listening on ${address}`);
  console.log(`  public URL:      ${config.publicUrl}`);
  console.log(`  dashboard:       ${address}/dashboard/`);
  console.log(`  health:          ${address}/api/health (alive), ${address}/api/ready (serving)`);
  console.log(`  API description: ${address}/api/openapi.json`);
  console.log(
    `  metrics:         ${config.metricsToken ? `${address}/metrics (with VAKT_METRICS_TOKEN)` : 'off (no VAKT_METRICS_TOKEN)'}`,
  );
  console.log(
    `  storage:         ${storage.dialect === 'sqlite' ? `SQLite in ${config.dataDir}` : 'PostgreSQL'}`,
  );
  console.log(
    `  signing key:     ${keys.signing.publicKey} (pin this in the client's managed configuration)`,
  );
  const staff = await storage.db
    .selectFrom('staff_users')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  if (Number(staff.count) === 0) {
    console.log(
      '  no staff account yet: create the first administrator with\n' +
        '    npx vakt-server create-user --email you@school.no --name "Your Name" --role admin\n' +
        '  (it asks for the password), then sign in on the dashboard.',
    );
  }

  const stopRetention = config.retentionDaily
    ? scheduleRetention(storage, {
        schoolYearEnd: config.schoolYearEnd,
        now: Date.now,
        log: (line) => console.log(line),
        onRun: (outcome) => metrics?.retentionRuns.inc({ outcome }),
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
    // The receiver's origin only: its path or query may carry a credential.
    `  hand-over:       ${config.handover ? `${new URL(config.handover.url).origin}/…` : 'off (no VAKT_HANDOVER_URL)'}`,
  );

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    console.log(`${signal} received: finishing open requests, then stopping`);
    // Bounded: a request that never ends does not keep a stopping server (or its unit) alive.
    setTimeout(() => {
      console.error(`Not stopped within ${SHUTDOWN_MS / 1000} s: exiting now.`);
      process.exit(1);
    }, SHUTDOWN_MS).unref();
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

/** Listens, or says in one line why it cannot and what to change. */
async function listenOrExplain(
  app: Awaited<ReturnType<typeof buildApp>>,
  host: string,
  port: number,
): Promise<string> {
  try {
    return await app.listen({ host, port });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE')
      throw new ConfigError(
        `port ${port} on ${host} is taken by another program. Stop it, or choose another port with PORT= (for example PORT=${port + 1}).`,
      );
    if (code === 'EACCES')
      throw new ConfigError(
        `this user may not listen on port ${port}. Choose a port above 1023 with PORT=, and put a reverse proxy on 443 (docs/operations.md).`,
      );
    if (code === 'EADDRNOTAVAIL')
      throw new ConfigError(`HOST=${host} is not an address of this machine.`);
    throw error;
  }
}
