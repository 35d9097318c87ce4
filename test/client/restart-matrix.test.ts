import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { answersHash } from '../../src/common/api';
import { nodeFs } from '../../src/main/fs-port';
import { latestAnswers } from '../../src/server/repositories/answers';
import { insertCandidate } from '../../src/server/repositories/candidates';
import { listeningServer, until, type ListeningServer } from '../support/client-session';
import { FaultProxy } from '../support/fault-proxy';
import { answersAt, scriptSession, STEPS, type ChildArgs } from '../support/restart-script';

/**
 * The restart matrix (issue "Sync, third pass"): a scripted session — sign in, answer, the
 * first upload in flight, its acknowledgement, the anchor, the seal, the receipt — is closed as
 * the app closes, or killed with SIGKILL, after each step, in a real child process with real
 * files; then reopened with the network and without it (it returns later). Every case must
 * converge to the server holding exactly the candidate's answers and a receipt of their hash.
 * The snapshot-without-anchor folder of step `answered` is F7, which stopped uploads for good.
 */
const root = new URL('../..', import.meta.url).pathname;
const MODES = ['close', 'kill'] as const;
const NETWORKS = ['online', 'offline'] as const;
const CASES = STEPS.flatMap((step) =>
  MODES.flatMap((mode) => NETWORKS.map((network) => ({ step, mode, network }))),
);

describe('restart matrix', () => {
  let server: ListeningServer;
  let child: string;
  const dirs: string[] = [];

  beforeAll(async () => {
    server = await listeningServer('sqlite');
    // Bundled once (its packages loaded from node_modules), so each child starts at once.
    const out = join(root, 'node_modules/.cache/vakt-tests');
    await mkdir(out, { recursive: true });
    child = join(out, 'restart-child.mjs');
    await build({
      entryPoints: [join(root, 'test/support/restart-child.ts')],
      bundle: true,
      packages: 'external',
      platform: 'node',
      format: 'esm',
      target: 'node22',
      outfile: child,
      logLevel: 'error',
    });
  });

  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
    const errors = server.serverErrors;
    await server.stop();
    expect(errors).toEqual([]);
  });

  /** Runs the script to `stopAt` in a child; resolves once it closed, or was killed there. */
  function runChild(args: ChildArgs): Promise<void> {
    return new Promise((resolve, reject) => {
      const process_ = spawn(process.execPath, [child, JSON.stringify(args)], {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      let errors = '';
      process_.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
      process_.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (args.mode === 'kill' && output.includes(`step ${args.stopAt}\n`))
          process_.kill('SIGKILL');
      });
      process_.on('exit', (code, signal) => {
        const expected =
          args.mode === 'kill' ? signal === 'SIGKILL' : code === 0 && output.includes('closed');
        if (expected && output.includes(`step ${args.stopAt}\n`)) resolve();
        else reject(new Error(`child ended ${code ?? signal}: ${output}${errors}`));
      });
    });
  }

  let nextCandidate = 3000;

  it.concurrent.each(CASES)(
    'after $step, $mode, reopened $network: the server gets every answer and the receipt',
    async ({ step, mode, network }) => {
      const candidateNumber = String((nextCandidate += 1));
      const personalCode = `restart-${candidateNumber}`;
      const candidate = await insertCandidate(server.db.storage.db, server.exam.id, {
        candidateNumber,
        name: 'Restart',
        personalCode,
      });
      const dataDir = await mkdtemp(join(tmpdir(), 'vakt-restart-'));
      dirs.push(dataDir);
      const key = randomBytes(32);
      await runChild({
        serverPort: server.port,
        publicUrl: server.publicUrl,
        pinnedKey: server.keys.signing.publicKey,
        dataDir,
        keyHex: key.toString('hex'),
        candidateNumber,
        personalCode,
        stopAt: step,
        mode,
      });

      // Reopened: first without the network if the case says so, then with it.
      const link = await FaultProxy.start(server.port);
      link.offline = network === 'offline';
      const session = scriptSession({
        baseUrl: link.url,
        publicUrl: server.publicUrl,
        pinnedKey: server.keys.signing.publicKey,
        dataDir,
        key,
        fs: nodeFs,
        timeoutMs: 2_000,
      });
      try {
        expect(await session.resume()).toBe(true);
        const expected = answersAt(step);
        expect(session.exam().answers).toEqual(expected);
        if (network === 'offline') {
          await until(() => session.state().connectivity === 'offline', 'going offline');
          expect(session.exam().answers).toEqual(expected);
          link.offline = false;
        }
        if (session.state().phase === 'preflight') await session.startExam();
        if (session.state().phase === 'in-progress') await session.submit();
        await until(() => session.state().phase === 'submitted', 'the receipt', 30_000);
        expect(session.state().problem).toBeNull();
        expect(session.state().receiptHash).toBe(answersHash(expected));

        const { db } = server.db.storage;
        expect(await latestAnswers(db, candidate.id)).toEqual(expected);
        const submissions = await db
          .selectFrom('submissions')
          .select(['matches', 'answers_hash'])
          .where('candidate_id', '=', candidate.id)
          .execute();
        expect(submissions).toEqual([{ matches: 1, answers_hash: answersHash(expected) }]);
        const flags = await db
          .selectFrom('server_flags')
          .select('kind')
          .where('candidate_id', '=', candidate.id)
          .execute();
        expect(flags).toEqual([]);
      } finally {
        await session.close();
        await link.close();
      }
    },
    60_000,
  );
});
