import type { Storage } from './db/database';
import type { ServerKeys } from './keys';
import type { LiveFeed } from './live-feed';
import type { HandoverSettings } from './privacy/handover-sender';
import type { SchoolYearEnd } from './privacy/retention';
import type { Quotas } from './quotas';
import type { VerifiedTokens } from './verified-tokens';

/** What the routes need, built once by the composition root (server.ts) or a test. */
export interface ServerContext {
  storage: Storage;
  keys: ServerKeys;
  /** VAKT_PUBLIC_URL, normalised: part of every config-key request hash. */
  publicUrl: string;
  /** Clients older than this are refused with `client-too-old`. */
  minClientVersion: string;
  /** The client update feed (electron-updater's generic provider), served at /updates/. */
  updatesDir?: string;
  /** The built dashboard (dist/dashboard), served at /dashboard/. */
  dashboardDir?: string;
  now: () => number;
  /** Live updates to dashboards: in-process on SQLite, LISTEN/NOTIFY on PostgreSQL. */
  feed: LiveFeed;
  /** Tokens verified so far, for rate-limit keys; buildApp makes one when none is given. */
  verifiedTokens?: VerifiedTokens;
  /** Per-journal storage quotas (default DEFAULT_QUOTAS). */
  quotas?: Quotas;
  /** Where accepted submissions are handed over (VAKT_HANDOVER_URL); none: not handed over. */
  handover?: HandoverSettings;
  /** VAKT_SCHOOL_YEAR_END (default 31 July): retention dates in exports. */
  schoolYearEnd?: SchoolYearEnd;
}
