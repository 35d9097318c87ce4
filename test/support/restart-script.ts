import { Agent } from 'node:http';

import type { AnswerValue } from '../../src/common/answers';
import type { FsPort } from '../../src/main/fs-port';
import { StaticKeyProvider } from '../../src/main/key-provider';
import { ExamSession } from '../../src/main/session/exam-session';
import { syncOver } from '../../src/main/session/sync-parts';
import { ServerApi } from '../../src/main/sync/server-api';
import { systemTimers } from '../../src/main/timers';

/**
 * The scripted session of the restart matrix (test/client/restart-matrix.test.ts): the steps a
 * client is closed or killed after, the answers saved by each, and the session wiring both the
 * child that runs the script and the parent that reopens it use. No vitest here: the child
 * runs it as a plain Node program.
 */
export const STEPS = [
  /** Signed in; the network went right after (nothing uploaded). */
  'signed-in',
  /** Answers saved offline, a snapshot written, no anchor: F7's folder. */
  'answered',
  /** The first upload reached the server, which stored it; its reply never arrived. */
  'upload-in-flight',
  /** An acknowledgement arrived; the anchor is not written yet. */
  'acked',
  /** The anchor is written. */
  'anchored',
  /** The submission is sealed offline (not uploaded). */
  'sealed',
  /** The receipt arrived. */
  'receipt',
] as const;
export type Step = (typeof STEPS)[number];

export interface ChildArgs {
  serverPort: number;
  publicUrl: string;
  pinnedKey: string;
  dataDir: string;
  keyHex: string;
  candidateNumber: string;
  personalCode: string;
  stopAt: Step;
  /** Closed as the app closes on quit, or killed with SIGKILL by the parent. */
  mode: 'close' | 'kill';
}

export const EXAM_CODE = 'TEST-1';
/** A snapshot after every few records, so the script's folders have one early. */
export const SNAPSHOT_EVERY = 3;

const choice = (optionId: string): AnswerValue => ({ type: 'single-choice', optionId });
const text = (value: string): AnswerValue => ({ type: 'short-text', text: value });

/** Saved while offline, before step `answered`. */
export const FIRST_ANSWERS = { q1: choice('a'), q2: text('Oslo') };
/** Saved just before sealing (step `sealed`). */
export const LAST_ANSWER = { q2: text('Oslo, since 1814') };

/** What the candidate has saved once the script reached `step`. */
export function answersAt(step: Step): Record<string, AnswerValue> {
  const index = STEPS.indexOf(step);
  if (index < STEPS.indexOf('answered')) return {};
  if (index < STEPS.indexOf('sealed')) return { ...FIRST_ANSWERS };
  return { ...FIRST_ANSWERS, ...LAST_ANSWER };
}

/** A client session on `dataDir`, wired as the app wires it, through `baseUrl`. */
export function scriptSession(options: {
  baseUrl: string;
  publicUrl: string;
  pinnedKey: string;
  dataDir: string;
  key: Uint8Array;
  fs: FsPort;
  timeoutMs: number;
}): ExamSession {
  const api = new ServerApi({
    baseUrl: options.baseUrl,
    publicUrl: options.publicUrl,
    timeoutMs: options.timeoutMs,
    httpAgent: new Agent({ keepAlive: false }),
  });
  return new ExamSession({
    api,
    sync: syncOver(api, systemTimers, {
      baseDelayMs: 5,
      maxDelayMs: 50,
      heartbeatIntervalMs: 200,
    }),
    fs: options.fs,
    keys: new StaticKeyProvider(options.key),
    timers: systemTimers,
    mono: () => performance.now(),
    clientVersion: '1.2.0',
    pinnedPublicKeys: [options.pinnedKey],
    machineId: () => Promise.resolve('restart-matrix'),
    onState: () => undefined,
    logger: { warn: () => undefined },
    dataDir: options.dataDir,
    storageRetryMs: 50,
    approvalPollMs: 100,
    snapshotEvery: SNAPSHOT_EVERY,
  });
}
