import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { ClientState } from '../../src/common/ipc';
import type { JournalRecord } from '../../src/common/journal-record';
import type { LifecyclePhase } from '../../src/common/session-phase';
import { nodeFs, type FsPort } from '../../src/main/fs-port';
import { StaticKeyProvider } from '../../src/main/key-provider';
import { ExamSession, type ExamSessionOptions } from '../../src/main/session/exam-session';
import { syncOver, type SyncTuning } from '../../src/main/session/sync-parts';
import { ServerApi } from '../../src/main/sync/server-api';
import { systemTimers } from '../../src/main/timers';
import type { AppOptions } from '../../src/server/app';
import type { DialectName } from '../../src/server/db/database';

import { freshStorage, type TestStorage } from './databases';
import { freePort } from './net';
import { testServer, type TestServer } from './server';

/** An exam server listening on loopback, with its storage. */
export interface ListeningServer extends TestServer {
  db: TestStorage;
  port: number;
  url: string;
  stop(): Promise<void>;
}

export async function listeningServer(
  dialect: DialectName = 'sqlite',
  options: Pick<AppOptions, 'timeouts' | 'limits'> & { updatesDir?: string } = {},
): Promise<ListeningServer> {
  const db = await freshStorage(dialect);
  // Its public URL is where it listens, as in production (clients through a proxy say so).
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server = await testServer(db.storage, undefined, true, url, options);
  await server.app.listen({ port, host: '127.0.0.1' });
  return {
    ...server,
    db,
    port,
    url,
    stop: async () => {
      await server.app.close();
      await db.cleanup();
    },
  };
}

/** The session's options, and the sync tuning its factory is built with. */
export type TestSessionOptions = Omit<ExamSessionOptions, 'api'> & {
  api: ServerApi;
  tuning: SyncTuning;
  /**
   * How long a request waits for its answer (default 5 s: enough on a loaded machine); a test
   * whose faults drop requests makes it short, and retries as a client would.
   */
  requestTimeoutMs: number;
};

export interface TestClient {
  session: ExamSession;
  dataDir: string;
  states: ClientState[];
  /** Every phase the sessions announced, in order. */
  phases: LifecyclePhase[];
  /** A new session object on the same folder and key: the client restarted. */
  restart(overrides?: Partial<TestSessionOptions>): ExamSession;
  cleanup(): Promise<void>;
}

/** An ExamSession with real axios to `baseUrl`, a real journal in a temporary folder. */
export async function testClient(
  server: TestServer,
  baseUrl: string,
  overrides: Partial<TestSessionOptions> = {},
  fs: FsPort = nodeFs,
): Promise<TestClient> {
  const dataDir = overrides.dataDir ?? (await mkdtemp(join(tmpdir(), 'vakt-client-')));
  const keys = new StaticKeyProvider(randomBytes(32));
  const states: ClientState[] = [];
  const phases: LifecyclePhase[] = [];
  const sessions: ExamSession[] = [];
  const make = (more: Partial<TestSessionOptions> = {}) => {
    const { tuning, api: given, requestTimeoutMs, ...options } = { ...overrides, ...more };
    // One API for sign-in and sync, as in the app: the token set at sign-in is the one uploads use.
    const api =
      given ??
      new ServerApi({
        baseUrl,
        publicUrl: server.publicUrl,
        timeoutMs: requestTimeoutMs ?? 5_000,
        httpAgent: new Agent({ keepAlive: false }),
      });
    const session = new ExamSession({
      api,
      sync: syncOver(api, systemTimers, {
        baseDelayMs: 5,
        maxDelayMs: 50,
        heartbeatIntervalMs: 200,
        ...tuning,
      }),
      fs,
      keys,
      timers: systemTimers,
      mono: () => performance.now(),
      clientVersion: '1.2.0',
      pinnedPublicKeys: [server.keys.signing.publicKey],
      machineId: () => Promise.resolve('test-machine'),
      onState: (state) => states.push(state),
      onPhase: (phase) => phases.push(phase),
      storageRetryMs: 50,
      approvalPollMs: 100,
      ...options,
      dataDir,
    });
    sessions.push(session);
    return session;
  };
  return {
    session: make(),
    dataDir,
    states,
    phases,
    restart: make,
    cleanup: async () => {
      for (const session of sessions) await session.close().catch(() => undefined);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Signs in as a candidate would under load: pressing again when the server did not answer in
 * time (a test with a short request timeout; checking a personal code is deliberately slow).
 * A retry reuses the journal id, so it is never a second device.
 */
export async function signInPatiently(
  session: ExamSession,
  credentials: Parameters<ExamSession['signIn']>[0],
): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await session.signIn(credentials);
      return;
    } catch (error) {
      if (attempt >= 5 || (error as { code?: unknown }).code !== 'offline') throw error;
    }
  }
}

/**
 * Everything but sync nonces is on the server. (A nonce is journaled after its acknowledgement,
 * so one may always be waiting; a count would also pass while the last answer still waits.)
 */
export function drained(session: ExamSession): boolean {
  const { journal, outbox } = session.sync;
  return journal.recordsAfter(outbox.watermark).every((record) => record.kind === 'sync.nonce');
}

/** Waits until `check` holds, polling; fails with `what` after `timeoutMs`. */
export async function until(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The server's stored records of one journal, as (seq, hash) pairs in order. */
export async function storedRecords(
  server: ListeningServer,
  journalId: string,
): Promise<Pick<JournalRecord, 'seq' | 'hash'>[]> {
  return server.db.storage.db
    .selectFrom('records')
    .select(['seq', 'hash'])
    .where('journal_id', '=', journalId)
    .orderBy('seq')
    .execute();
}
