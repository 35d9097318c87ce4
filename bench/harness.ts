import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';

import { parseExamFile } from '../src/common/exam-file';
import { GENESIS_HASH, type JournalRecord } from '../src/common/journal-record';
import { STAFF_API_PREFIX } from '../src/common/staff-api';
import type { DialectName, Storage } from '../src/server/db/database';
import { insertExam, type Exam } from '../src/server/repositories/exams';
import { createSession } from '../src/server/repositories/sessions';
import { createStaffUser } from '../src/server/repositories/staff';
import { freshStorage, POSTGRES_URL, type TestStorage } from '../test/support/databases';
import { freePort } from '../test/support/net';
import { TEST_EXAM } from '../test/support/server';

/** What the benchmarks that drive a real server process share. */
const root = new URL('..', import.meta.url).pathname;

export interface Sim {
  candidateNumber: string;
  journalId: string;
  token: string;
  records: JournalRecord[];
  /** The nonce of the last acknowledgement, journaled into the next batch as a client does. */
  nonce?: string;
  /** Records written but not yet uploaded (one upload at a time, as the client's outbox). */
  waiting?: JournalRecord[];
}

/** CPU seconds (user + system) used so far by the processes `pids` lists. */
export function cpuSeconds(pids: () => number[]): number {
  let ticks = 0;
  for (const pid of pids()) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // the process ended
    }
  }
  return ticks / 100;
}

/** The PostgreSQL server's processes (every backend), for its CPU figure. */
export function postgresPids(): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/comm`, 'utf8').startsWith('postgres');
      } catch {
        return false;
      }
    });
}

/** Candidates signed in already (a journal and a session each), numbered L<offset>… */
export async function seedCandidates(
  storage: Storage,
  exam: Exam,
  count: number,
  offset: number,
): Promise<Sim[]> {
  const sims: Sim[] = [];
  // A thousand per transaction: one commit each, not three per candidate.
  for (let start = 0; start < count; start += 1000) {
    await storage.db.transaction().execute(async (trx) => {
      for (let i = start; i < Math.min(count, start + 1000); i += 1) {
        const id = randomUUID();
        const candidateNumber = `L${offset + i}`;
        // A placeholder hash: sessions are made directly, so no one signs in with it.
        await trx
          .insertInto('candidates')
          .values({
            id,
            exam_id: exam.id,
            candidate_number: candidateNumber,
            name: 'Load',
            personal_code_hash: 'x',
            extra_minutes: 0,
            answered: 0,
          })
          .execute();
        const journalId = randomUUID();
        // Written directly: openJournal runs its own transaction.
        await trx
          .insertInto('journals')
          .values({
            id: journalId,
            candidate_id: id,
            device_id_hash: 'd'.repeat(64),
            client_version: '1.0.0',
            state: 'active',
            status: null,
            watermark: 0,
            head_hash: GENESIS_HASH,
            last_seen_at: Date.now(),
            created_at: Date.now(),
            public_key: 'e'.repeat(64),
            stored_bytes: 0,
            quarantined_bytes: 0,
            client_head_seq: 0,
            platform: null,
            nonce_ordinal: 0,
            returned_ordinal: 0,
            returned_issued_at: null,
            needs_answers: 0,
            replaced_after: null,
          })
          .execute();
        const token = await createSession(trx, id, journalId, Date.now() + 86_400_000, Date.now());
        sims.push({ candidateNumber, journalId, token, records: [] });
      }
    });
  }
  return sims;
}

/** Resident memory of process `pid` in bytes (0 once it has ended). */
export function residentBytes(pid: number): number {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('VmRSS:'));
    return Number(line?.split(/\s+/)[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}

export interface BenchServer {
  base: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * The exam server as its own process on `db` (so its CPU is its own), once healthy. Behind a
 * balancer, `publicUrl` is the balancer's (config keys hash it).
 */
export async function startServer(
  db: TestStorage,
  dialect: DialectName,
  publicUrl?: string,
): Promise<BenchServer> {
  const port = await freePort();
  // VAKT_BENCH_SERVER_ARGS passes node flags to the server, e.g. "--cpu-prof" to profile it.
  const extra = (process.env.VAKT_BENCH_SERVER_ARGS ?? '').split(' ').filter(Boolean);
  // The built server (npm run build first), as IT runs it.
  const server = spawn(process.execPath, [...extra, 'bin/vakt-server.mjs', 'serve'], {
    cwd: root,
    stdio: 'ignore',
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      VAKT_DATA_DIR: db.dataDir,
      // Its own address, so the dashboard's requests are same-origin; config keys hash it.
      VAKT_PUBLIC_URL: publicUrl ?? `http://127.0.0.1:${port}`,
      VAKT_TRUST_PROXY: '127.0.0.1',
      VAKT_MIN_CLIENT_VERSION: '1.0.0',
      DATABASE_URL: dialect === 'postgres' ? POSTGRES_URL : '',
      VAKT_DATABASE_SCHEMA: db.storage.schema ?? 'public',
    },
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 150; i += 1) {
    const healthy = await fetch(`${base}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (healthy) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    base,
    process: server,
    stop: async () => {
      server.kill('SIGTERM');
      await new Promise((resolve) => server.once('exit', resolve));
    },
  };
}

/** A staff session cookie for `email` (password "correct horse battery"). */
export async function staffSessionCookie(base: string, email: string): Promise<string> {
  const response = await fetch(`${base}${STAFF_API_PREFIX}/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: BENCH_STAFF_PASSWORD }),
  });
  return response.headers.get('set-cookie')!.split(';')[0]!;
}

export const BENCH_STAFF_PASSWORD = 'correct horse battery';

/** A fresh database with the test exam and an admin, bench@vakt.test. */
export async function benchDatabase(
  dialect: DialectName,
): Promise<{ db: TestStorage; exam: Exam }> {
  const db = await freshStorage(dialect);
  const parsed = parseExamFile(TEST_EXAM);
  if (!parsed.ok) throw new Error('bad exam fixture');
  const exam = await insertExam(db.storage.db, parsed.value, 0);
  await createStaffUser(
    db.storage.db,
    { email: 'bench@vakt.test', name: 'Bench', role: 'admin', password: BENCH_STAFF_PASSWORD },
    0,
  );
  return { db, exam };
}
