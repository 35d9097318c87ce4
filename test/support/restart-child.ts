import { access } from 'node:fs/promises';
import { join } from 'node:path';

import { nodeFs, type FsPort } from '../../src/main/fs-port';
import { sessionDir } from '../../src/main/session/session-file';

import { FaultProxy } from './fault-proxy';
import {
  EXAM_CODE,
  FIRST_ANSWERS,
  LAST_ANSWER,
  scriptSession,
  STEPS,
  type ChildArgs,
  type Step,
} from './restart-script';

/**
 * A child process for the restart matrix: runs the scripted session up to `stopAt`, with its own
 * fault proxy as its network, prints "step <name>" there, and then either closes the session as
 * the app does on quit, or goes on as it was until the parent kills it.
 */
const args = JSON.parse(process.argv[2]!) as ChildArgs;
const never = new Promise<never>(() => undefined);
const network = await FaultProxy.start(args.serverPort);

/** The first anchor write waits here when the script stops at `acked`. */
let anchorSeen = false;
const fs: FsPort = {
  ...nodeFs,
  writeFileAtomic: async (path, data) => {
    if (path.endsWith('anchor.json') && !anchorSeen) {
      anchorSeen = true;
      // Killed before the anchor is on disk; or closed as the acknowledgement is handled
      // (closing then waits for it, so this write goes on).
      if (args.stopAt === 'acked' && args.mode === 'kill') await reached('acked');
      if (args.stopAt === 'acked' && args.mode === 'close') void reached('acked');
    }
    await nodeFs.writeFileAtomic(path, data);
  },
};

const session = scriptSession({
  baseUrl: network.url,
  publicUrl: args.publicUrl,
  pinnedKey: args.pinnedKey,
  dataDir: args.dataDir,
  key: Buffer.from(args.keyHex, 'hex'),
  fs,
  // Long enough for a loaded machine; a held reply ends in a timeout of this length.
  timeoutMs: 2_000,
});

async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 5));
}

/** Set once the script closes: it goes no further. */
let closing = false;

/** Says the step was reached; closes and exits (mode close), or waits to be killed. */
async function reached(step: Step): Promise<void> {
  if (step !== args.stopAt) return;
  process.stdout.write(`step ${step}\n`);
  if (args.mode === 'kill') return never;
  closing = true;
  await session.close();
  await network.close();
  process.stdout.write('closed\n');
  process.exit(0);
}

// The network passes the sign-in and the package download, and nothing else: nothing is
// uploaded until the script says so. A sign-in that timed out on a loaded machine is pressed
// again (the same journal), as a candidate would.
network.passOnly = ['POST /api/v1/client/sign-in', 'GET /api/v1/client/exam-package'];
for (let attempt = 1; ; attempt += 1) {
  try {
    await session.signIn({
      examCode: EXAM_CODE,
      candidateNumber: args.candidateNumber,
      personalCode: args.personalCode,
    });
    break;
  } catch (error) {
    if (attempt >= 5 || (error as { code?: unknown }).code !== 'offline') throw error;
  }
}
network.passOnly = null;
network.offline = true;
await reached('signed-in');

await session.startExam();
for (const [questionId, value] of Object.entries(FIRST_ANSWERS)) {
  await session.saveAnswer(questionId, value, true);
}
const snapshot = join(sessionDir(args.dataDir, session.journalId!), 'snapshot.json');
await until(() =>
  access(snapshot).then(
    () => true,
    () => false,
  ),
);
await reached('answered');

// The network returns; the first upload is stored by the server and its reply held back.
const held = new Promise<void>((resolve) => (network.onHeld = resolve));
network.holdReplies = 'POST /api/v1/client/records';
network.offline = false;
session.sync.outbox.retryNow();
await held;
await reached('upload-in-flight');

// Replies pass again: the upload times out and is sent again, and this time acknowledged.
network.holdReplies = null;
await until(() => session.sync.journal.anchoredSeq > 0 || closing);
if (closing) await never; // closing at `acked`, from the anchor's write
await reached('anchored');

network.offline = true;
for (const [questionId, value] of Object.entries(LAST_ANSWER)) {
  await session.saveAnswer(questionId, value, true);
}
await session.submit();
await reached('sealed');

network.offline = false;
await until(() => session.state().phase === 'submitted');
await reached('receipt');
if (!STEPS.includes(args.stopAt)) throw new Error(`no step ${args.stopAt}`);
