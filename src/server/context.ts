import type { VerifiedTokens } from './auth/verified-tokens';
import type { Storage } from './db/database';
import type { HandIns } from './hand-in/hand-ins';
import type { ServerKeys } from './keys';
import type { LiveFeed } from './live/live-feed';
import type { LivePublisher } from './live/publish';
import type { SilenceWatch } from './live/silence-watch';
import type { ServerMetrics } from './metrics';
import type { HandoverSettings } from './privacy/handover-sender';
import type { SchoolYearEnd } from './privacy/retention';
import type { Ingest } from './sync/ingest';

/** How long before an exam opens its candidates may sign in and wait, unless configured. */
export const DEFAULT_WAITING_ROOM_MINUTES = 60;

/** The server's configuration and its outside connections: what the composition root takes. */
export interface ServerParts {
  storage: Storage;
  keys: ServerKeys;
  /** VAKT_PUBLIC_URL, normalised: part of every config-key request hash. */
  publicUrl: string;
  /** Clients older than this are refused with `client-too-old`. */
  minClientVersion: string;
  /**
   * VAKT_WAITING_ROOM_MINUTES (DEFAULT_WAITING_ROOM_MINUTES): how long before an exam opens its candidates may
   * sign in and wait, with the checks done, for it to open by itself.
   */
  waitingRoomMinutes?: number;
  /** The client update feed (electron-updater's generic provider), served at /updates/. */
  updatesDir?: string;
  /** The built dashboard (dist/dashboard), served at /dashboard/. */
  dashboardDir?: string;
  now: () => number;
  /** Live updates to dashboards: in-process on SQLite, LISTEN/NOTIFY on PostgreSQL. */
  feed: LiveFeed;
  /** Where accepted submissions are handed over (VAKT_HANDOVER_URL); none: not handed over. */
  handover?: HandoverSettings;
  /** VAKT_SCHOOL_YEAR_END (default 31 July): retention dates in exports. */
  schoolYearEnd?: SchoolYearEnd;
  /** The Prometheus metrics, where the server keeps them (server.ts). */
  metrics?: ServerMetrics;
}

/**
 * What the routes get: the configuration, and the services the composition root (compose.ts)
 * built once from it. Routes translate HTTP to calls on these; they build nothing.
 */
export interface ServerContext extends ServerParts {
  /** Upload batches and hand-in files, into the journals. */
  ingest: Ingest;
  /** Tells dashboards what changed. */
  live: LivePublisher;
  /** Offline hand-in files an invigilator uploads. */
  handIns: HandIns;
  /** Tells dashboards when a laptop falls silent: runs while the app does. */
  silence: SilenceWatch;
  /** Tokens verified so far, for rate-limit keys. */
  verifiedTokens: VerifiedTokens;
}
