import { randomUUID } from 'node:crypto';

import type { JournalState, SignedExamPackage, SignInRequest } from '../../common/api';
import { journalSigningKey } from '../../common/journal-key';
import { platformOf } from '../../common/platform';
import { verifyCanonical } from '../../common/signing';
import { deviceIdHash, type MachineIdSource } from '../device-identity';
import type { FsPort } from '../fs-port';
import type { KeyProvider } from '../key-provider';
import type { ServerApi } from '../sync/server-api';
import type { Timers } from '../timers';

import { SessionError } from './session-error';
import {
  clearPendingSignIn,
  currentJournalId,
  loadSessionFile,
  markCurrentSession,
  pendingJournalId,
  saveSessionFile,
  type SessionFile,
} from './session-file';

export interface Credentials {
  examCode: string;
  candidateNumber: string;
  personalCode: string;
}

/** The calls to the exam server the session makes itself (uploads and beats are sync parts). */
export type SessionApi = Pick<
  ServerApi,
  'signIn' | 'examPackage' | 'latestAnswers' | 'setToken' | 'setConfigKey'
>;

export interface SignInContext {
  api: SessionApi;
  fs: FsPort;
  dataDir: string;
  keys: KeyProvider;
  timers: Timers;
  clientVersion: string;
  /**
   * The server's Ed25519 keys from the managed settings (the current one, and the next while IT
   * rotates it); a package signed by any other key is refused.
   */
  pinnedPublicKeys: readonly string[];
  machineId?: MachineIdSource;
  /** How often a second device asks whether it has been approved (default 2 s). */
  approvalPollMs?: number;
  /** A second device waits for an invigilator's approval (true), or no longer (false). */
  onWaiting: (waiting: boolean) => void;
}

export interface SignedIn {
  file: SessionFile;
  key: Uint8Array;
  /** As the sign-in reply said (a resumed session learns it from its first heartbeat). */
  journalState: JournalState;
}

/**
 * A first sign-in on this computer: the journal id is kept before the request (a retry after a
 * lost reply reuses it), the exam package is fetched once the server lets this computer have it,
 * checked against the pinned key and against what was typed, and saved for a restart.
 */
export async function signInFresh(
  context: SignInContext,
  credentials: Credentials,
): Promise<SignedIn> {
  const { api, fs, dataDir } = context;
  const examCode = credentials.examCode.trim().toUpperCase();
  const candidateNumber = credentials.candidateNumber.trim();
  const journalId = await pendingJournalId(
    fs,
    dataDir,
    { examCode, candidateNumber },
    randomUUID(),
  );
  const key = await context.keys.journalKey(journalId);
  const signIn = await api.signIn(
    await signInRequest(context, { examCode, candidateNumber, journalId }, key, credentials),
  );
  if (signIn.kind !== 'ok') throw failureOf(signIn);
  api.setToken(signIn.value.token);
  const signed = await approvedPackage(context);
  if (signed.kind !== 'ok') throw failureOf(signed);
  if (!isVerified(signed.value, context.pinnedPublicKeys))
    throw new SessionError('package-signature');
  // Signed by our server, but is it the exam and the candidate that were typed?
  const pkg = signed.value.package;
  if (pkg.examCode.toUpperCase() !== examCode || pkg.candidate.number !== candidateNumber) {
    throw new SessionError('package-mismatch', {
      examCode: pkg.examCode,
      candidateNumber: pkg.candidate.number,
    });
  }
  const file: SessionFile = {
    journalId,
    examCode,
    candidateNumber,
    signed: signed.value,
    token: signIn.value.token,
    receipt: null,
    // The offset from the sign-in reply: a client restarted offline keeps the server's time.
    clockOffsetMs: Math.round(signIn.value.serverTime - (signIn.sentAt + signIn.receivedAt) / 2),
    needsAnswers: signIn.value.needsAnswers,
    replacedAfter: signIn.value.replacedAfter,
  };
  await saveSessionFile(fs, dataDir, key, file);
  await markCurrentSession(fs, dataDir, journalId);
  await clearPendingSignIn(fs, dataDir);
  return { file, key, journalState: signIn.value.journalState };
}

/**
 * Signs the same journal in again (the token expired or was refused): the new token, or null
 * when the server said no.
 */
export async function renewSignIn(
  context: Pick<SignInContext, 'api' | 'clientVersion' | 'machineId'>,
  file: SessionFile,
  key: Uint8Array,
  personalCode: string,
): Promise<string | null> {
  const outcome = await context.api.signIn(
    await signInRequest(context, file, key, { personalCode }),
  );
  if (outcome.kind !== 'ok') return null;
  context.api.setToken(outcome.value.token);
  return outcome.value.token;
}

/** The session a crash or restart interrupted, if there is one and its package verifies. */
export async function savedSession(
  context: Pick<SignInContext, 'fs' | 'dataDir' | 'keys' | 'pinnedPublicKeys'>,
): Promise<SignedIn | null> {
  const { fs, dataDir, keys } = context;
  const journalId = await currentJournalId(fs, dataDir);
  if (!journalId) return null;
  const key = await keys.journalKey(journalId);
  const file = await loadSessionFile(fs, dataDir, journalId, key);
  if (!file || !isVerified(file.signed, context.pinnedPublicKeys)) return null;
  return { file, key, journalState: 'active' };
}

/** The credentials name the candidate of `file` (the personal code is the server's to check). */
export function sameCandidate(
  file: Pick<SessionFile, 'examCode' | 'candidateNumber'>,
  credentials: Credentials,
): boolean {
  return (
    credentials.examCode.trim().toUpperCase() === file.examCode &&
    credentials.candidateNumber.trim() === file.candidateNumber
  );
}

/** Signed by one of the pinned keys. */
export function isVerified(
  signed: SignedExamPackage,
  pinnedPublicKeys: readonly string[],
): boolean {
  return pinnedPublicKeys.some((pinned) => {
    const key = pinned.toLowerCase();
    return signed.publicKey === key && verifyCanonical(signed.package, signed.signature, key);
  });
}

async function signInRequest(
  context: Pick<SignInContext, 'clientVersion' | 'machineId'>,
  who: { examCode: string; candidateNumber: string; journalId: string },
  key: Uint8Array,
  credentials: Pick<Credentials, 'personalCode'>,
): Promise<SignInRequest> {
  return {
    examCode: who.examCode,
    candidateNumber: who.candidateNumber,
    personalCode: credentials.personalCode,
    journalId: who.journalId,
    // The exam id is not known before sign-in; the exam code identifies the exam as well.
    deviceIdHash: await deviceIdHash(who.examCode, context.machineId),
    journalPublicKey: journalSigningKey(key, who.journalId).publicKey,
    clientVersion: context.clientVersion,
    platform: platformOf(process.platform),
  };
}

/**
 * The exam package, once this computer may have it: a second device gets it only after an
 * invigilator approves it, so until then the request is repeated.
 */
async function approvedPackage(context: SignInContext): ReturnType<ServerApi['examPackage']> {
  let waiting = false;
  try {
    for (;;) {
      const outcome = await context.api.examPackage();
      if (outcome.kind !== 'rejected' || outcome.code !== 'awaiting-approval') return outcome;
      if (!waiting) context.onWaiting((waiting = true));
      await new Promise<void>((resolve) =>
        context.timers.setTimeout(resolve, context.approvalPollMs ?? 2_000),
      );
    }
  } finally {
    if (waiting) context.onWaiting(false);
  }
}

/** A failed sign-in or package download, as the session's error. */
function failureOf(
  outcome: Exclude<Awaited<ReturnType<ServerApi['signIn']>>, { kind: 'ok' }>,
): SessionError {
  switch (outcome.kind) {
    case 'unreachable':
      return new SessionError('offline');
    case 'refused':
      return outcome.refusal.code === 'client-too-old'
        ? new SessionError('client-too-old', { minimumVersion: outcome.refusal.minimumVersion })
        : new SessionError(outcome.refusal.code);
    case 'rejected':
      return new SessionError(outcome.code, outcome.params ?? {});
  }
}
