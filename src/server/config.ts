import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { resolve, sep } from 'node:path';

import { Webhook } from 'standardwebhooks';

import { normalisePublicUrl } from '../common/config-key';

import { DEFAULT_WAITING_ROOM_MINUTES } from './context';
import type { HandoverSettings } from './privacy/handover-sender';
import {
  DEFAULT_SCHOOL_YEAR_END,
  parseSchoolYearEnd,
  type SchoolYearEnd,
} from './privacy/retention';

/** Server settings, from environment variables (README "Configuration"). */
export interface ServerConfig {
  host: string;
  port: number;
  dataDir: string;
  databaseUrl: string | null;
  /** PostgreSQL schema (VAKT_DATABASE_SCHEMA), default "public". */
  databaseSchema: string;
  publicUrl: string;
  minClientVersion: string;
  /** VAKT_WAITING_ROOM_MINUTES: sign-in opens this long before an exam does (default 60). */
  waitingRoomMinutes: number;
  /** VAKT_MAX_CONNECTIONS_PER_ADDRESS: open connections one address may hold (default 1000). */
  maxConnectionsPerAddress: number;
  /** VAKT_METRICS_TOKEN: the bearer token Prometheus scrapes /metrics with; null: no /metrics. */
  metricsToken: string | null;
  /**
   * VAKT_UPDATES_DIR: the client update feed served at /updates/ (default: beside the data
   * folder, `<data dir>-updates`). Never the data folder, inside it or around it: that would
   * serve the server's keys and database.
   */
  updatesDir: string;
  /** Load the demo exam and candidate (npm start sets VAKT_DEMO=1). */
  demo: boolean;
  /** VAKT_TRUST_PROXY: proxy addresses/CIDRs to believe, or a hop count; false for none. */
  trustProxy: string[] | number | false;
  /** VAKT_SCHOOL_YEAR_END (MM-DD): exams' data is kept until the end of their school year. */
  schoolYearEnd: SchoolYearEnd;
  /** VAKT_RETENTION=off: no daily retention run in the server (run the command instead). */
  retentionDaily: boolean;
  /** VAKT_HANDOVER_*: where accepted submissions are handed over; null: nowhere. */
  handover: HandoverSettings | null;
}

/** VAKT_HANDOVER_URL, _SECRET, _ALLOW_PRIVATE, _CA_FILE; null when no URL is set. */
function parseHandover(env: NodeJS.ProcessEnv): HandoverSettings | null {
  const url = env.VAKT_HANDOVER_URL;
  if (!url) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(`VAKT_HANDOVER_URL is not a URL: "${url}"`);
  }
  if (parsed.protocol !== 'https:')
    throw new ConfigError(
      'VAKT_HANDOVER_URL must be an https:// URL: answers never travel unencrypted',
    );
  const secret = env.VAKT_HANDOVER_SECRET ?? '';
  try {
    new Webhook(secret);
    if (!secret.startsWith('whsec_')) throw new Error('no whsec_ prefix');
  } catch {
    throw new ConfigError(
      'VAKT_HANDOVER_SECRET must be a Standard Webhooks secret: "whsec_" and base64 (share it with the receiver)',
    );
  }
  let ca: string | undefined;
  if (env.VAKT_HANDOVER_CA_FILE) {
    try {
      ca = readFileSync(env.VAKT_HANDOVER_CA_FILE, 'utf8');
    } catch (error) {
      throw new ConfigError(`VAKT_HANDOVER_CA_FILE cannot be read: ${(error as Error).message}`);
    }
  }
  return {
    url: parsed.href,
    secret,
    allowPrivateNetwork: env.VAKT_HANDOVER_ALLOW_PRIVATE === '1',
    ...(ca ? { ca } : {}),
  };
}

const ADDRESS_OR_CIDR = /^(\d{1,3}(\.\d{1,3}){3}|[0-9a-fA-F:]+)(\/\d{1,3})?$/;

function parseTrustProxy(text: string | undefined): string[] | number | false {
  if (text === undefined || text.trim() === '') return false;
  if (/^\d+$/.test(text.trim())) {
    const hops = Number(text.trim());
    if (hops < 1 || hops > 10)
      throw new ConfigError('VAKT_TRUST_PROXY as a hop count must be from 1 to 10');
    return hops;
  }
  const entries = text.split(',').map((entry) => entry.trim());
  const prefixFits = (entry: string) => {
    const [address = '', prefix] = entry.split('/');
    return prefix === undefined || Number(prefix) <= (isIP(address) === 6 ? 128 : 32);
  };
  const bad = entries.find((entry) => !ADDRESS_OR_CIDR.test(entry) || !prefixFits(entry));
  if (bad !== undefined) {
    throw new ConfigError(
      `VAKT_TRUST_PROXY must be a hop count or a comma-separated list of proxy addresses or CIDR ranges; "${bad}" is neither`,
    );
  }
  return entries;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function parsePort(text: string | undefined): number {
  if (text === undefined || text === '') return 8080;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new ConfigError(`PORT must be a whole number from 0 to 65535, not "${text}"`);
  }
  return port;
}

/** The update feed's folder, refused where it would overlap the data folder. */
function updatesDirFor(setting: string | undefined, dataDir: string): string {
  const dir = resolve(setting || `${dataDir}-updates`);
  const within = (inner: string, outer: string) =>
    inner === outer || inner.startsWith(outer.endsWith(sep) ? outer : outer + sep);
  if (within(dir, dataDir) || within(dataDir, dir))
    throw new ConfigError(
      `VAKT_UPDATES_DIR (${dir}) must not be the data folder (${dataDir}), inside it or around it: it would serve the server's keys and database to anyone. Use a folder of its own, such as ${dataDir}-updates.`,
    );
  return dir;
}

export function loadServerConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const host = env.HOST || '127.0.0.1';
  const port = parsePort(env.PORT);
  const dataDir = resolve(env.VAKT_DATA_DIR || '.vakt-data');
  const databaseUrl = env.DATABASE_URL || null;
  if (databaseUrl !== null && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must be a postgres:// URL (leave it unset for SQLite)');
  }
  let publicUrl: string;
  try {
    publicUrl = normalisePublicUrl(env.VAKT_PUBLIC_URL || `http://${host}:${port}`);
  } catch (error) {
    throw new ConfigError(`VAKT_PUBLIC_URL is not usable: ${(error as Error).message}`);
  }
  const databaseSchema = env.VAKT_DATABASE_SCHEMA || 'public';
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(databaseSchema)) {
    throw new ConfigError('VAKT_DATABASE_SCHEMA must be lower-case letters, digits and "_"');
  }
  // 0.2.0: the exam package gained its title and the waiting room; 0.1.0 clients refuse it.
  const minClientVersion = env.VAKT_MIN_CLIENT_VERSION || '0.2.0';
  if (!/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(minClientVersion)) {
    throw new ConfigError(
      `VAKT_MIN_CLIENT_VERSION must look like 1.2.3, not "${minClientVersion}"`,
    );
  }
  const waitingRoomMinutes = Number(
    env.VAKT_WAITING_ROOM_MINUTES || String(DEFAULT_WAITING_ROOM_MINUTES),
  );
  if (!Number.isInteger(waitingRoomMinutes) || waitingRoomMinutes < 0 || waitingRoomMinutes > 720) {
    throw new ConfigError(
      `VAKT_WAITING_ROOM_MINUTES must be a whole number of minutes from 0 to 720, not "${env.VAKT_WAITING_ROOM_MINUTES}"`,
    );
  }
  const maxConnectionsPerAddress = Number(env.VAKT_MAX_CONNECTIONS_PER_ADDRESS || '1000');
  if (!Number.isInteger(maxConnectionsPerAddress) || maxConnectionsPerAddress < 10) {
    throw new ConfigError(
      `VAKT_MAX_CONNECTIONS_PER_ADDRESS must be a whole number of at least 10, not "${env.VAKT_MAX_CONNECTIONS_PER_ADDRESS}"`,
    );
  }
  const metricsToken = env.VAKT_METRICS_TOKEN || null;
  if (metricsToken !== null && !/^[A-Za-z0-9._~+/=-]{24,200}$/.test(metricsToken)) {
    throw new ConfigError(
      'VAKT_METRICS_TOKEN must be at least 24 characters of letters, digits and ._~+/=- (for example: openssl rand -hex 24)',
    );
  }
  let schoolYearEnd = DEFAULT_SCHOOL_YEAR_END;
  if (env.VAKT_SCHOOL_YEAR_END) {
    try {
      schoolYearEnd = parseSchoolYearEnd(env.VAKT_SCHOOL_YEAR_END);
    } catch (error) {
      throw new ConfigError(`VAKT_SCHOOL_YEAR_END must be ${(error as Error).message}`);
    }
  }
  const retention = env.VAKT_RETENTION ?? 'on';
  if (retention !== 'on' && retention !== 'off') {
    throw new ConfigError(`VAKT_RETENTION must be "on" or "off", not "${retention}"`);
  }
  return {
    host,
    port,
    dataDir,
    databaseUrl,
    databaseSchema,
    publicUrl,
    minClientVersion,
    waitingRoomMinutes,
    maxConnectionsPerAddress,
    metricsToken,
    updatesDir: updatesDirFor(env.VAKT_UPDATES_DIR, dataDir),
    demo: env.VAKT_DEMO === '1',
    trustProxy: parseTrustProxy(env.VAKT_TRUST_PROXY),
    schoolYearEnd,
    retentionDaily: retention === 'on',
    handover: parseHandover(env),
  };
}
