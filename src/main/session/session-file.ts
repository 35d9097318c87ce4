import { join } from 'node:path';

import { z } from 'zod';

import { receiptSchema, signedExamPackageSchema } from '../../common/api';
import { journalIdSchema } from '../../common/ids';
import type { FsPort } from '../fs-port';
import { LineCipher } from '../journal/line-cipher';

/** Which session is current: the one a restarted client resumes. Plain text, only the id. */
const CURRENT_FILE = 'current-session';
/** A sign-in under way: its journal id, kept before the request so a retry reuses it. */
const PENDING_FILE = 'pending-sign-in';
const SESSION_FILE = 'session.json';

/**
 * What a restarted client needs besides the journal: the verified exam package (to go on
 * offline), the token and the receipt. Sealed with the journal's key, since the token is a
 * secret.
 */
export const sessionFileSchema = z.strictObject({
  journalId: journalIdSchema,
  examCode: z.string(),
  candidateNumber: z.string(),
  signed: signedExamPackageSchema,
  token: z.string().nullable(),
  receipt: receiptSchema.nullable(),
  /** Server time − local time at sign-in. */
  clockOffsetMs: z.number().finite(),
  /**
   * The server's last word on this journal (sign-in reply, heartbeats, acknowledgements), so a
   * restart before the next reply still knows: start from the candidate's answers on the
   * server, and where this journal stopped counting if another device replaced it.
   */
  needsAnswers: z.boolean(),
  replacedAfter: z.int().nonnegative().nullable(),
});
export type SessionFile = z.infer<typeof sessionFileSchema>;

export function sessionDir(dataDir: string, journalId: string): string {
  return join(dataDir, 'sessions', journalId);
}

export async function saveSessionFile(
  fs: FsPort,
  dataDir: string,
  key: Uint8Array,
  file: SessionFile,
): Promise<void> {
  const cipher = new LineCipher(key, `vakt-session:${file.journalId}`);
  const dir = sessionDir(dataDir, file.journalId);
  await fs.mkdir(dir);
  await fs.writeFileAtomic(join(dir, SESSION_FILE), Buffer.from(cipher.seal(JSON.stringify(file))));
}

/** Makes `journalId` the session a restarted client resumes. */
export async function markCurrentSession(
  fs: FsPort,
  dataDir: string,
  journalId: string,
): Promise<void> {
  await fs.writeFileAtomic(join(dataDir, CURRENT_FILE), Buffer.from(journalId));
}

/** The current session's journal id, or null when there is none (or the pointer is damaged). */
export async function currentJournalId(fs: FsPort, dataDir: string): Promise<string | null> {
  const bytes = await fs.readFile(join(dataDir, CURRENT_FILE));
  const parsed = journalIdSchema.safeParse(bytes ? Buffer.from(bytes).toString('utf8') : null);
  return parsed.success ? parsed.data : null;
}

export async function clearCurrentSession(fs: FsPort, dataDir: string): Promise<void> {
  await fs.writeFileAtomic(join(dataDir, CURRENT_FILE), Buffer.from(''));
}

/** The saved session, or null when it is missing or does not decrypt to a valid file. */
export async function loadSessionFile(
  fs: FsPort,
  dataDir: string,
  journalId: string,
  key: Uint8Array,
): Promise<SessionFile | null> {
  const bytes = await fs.readFile(join(sessionDir(dataDir, journalId), SESSION_FILE));
  if (!bytes) return null;
  const text = new LineCipher(key, `vakt-session:${journalId}`).open(
    Buffer.from(bytes).toString('latin1'),
  );
  if (text === null) return null;
  try {
    const parsed = sessionFileSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

const pendingSignInSchema = z.strictObject({
  journalId: journalIdSchema,
  examCode: z.string(),
  candidateNumber: z.string(),
});
export type PendingSignIn = z.infer<typeof pendingSignInSchema>;

/**
 * The journal id for a sign-in: the one a previous attempt for the same candidate already
 * sent (its reply may have been lost after the server registered the journal — a new id would
 * look like a second device), else `fresh`, kept on disk before it is sent.
 */
export async function pendingJournalId(
  fs: FsPort,
  dataDir: string,
  who: { examCode: string; candidateNumber: string },
  fresh: string,
): Promise<string> {
  const bytes = await fs.readFile(join(dataDir, PENDING_FILE));
  let pending: PendingSignIn | null;
  try {
    const parsed = pendingSignInSchema.safeParse(
      bytes ? JSON.parse(Buffer.from(bytes).toString('utf8')) : null,
    );
    pending = parsed.success ? parsed.data : null;
  } catch {
    pending = null; // an empty or damaged file: start afresh
  }
  if (
    pending &&
    pending.examCode === who.examCode &&
    pending.candidateNumber === who.candidateNumber
  )
    return pending.journalId;
  await fs.mkdir(dataDir);
  await fs.writeFileAtomic(
    join(dataDir, PENDING_FILE),
    Buffer.from(JSON.stringify({ journalId: fresh, ...who })),
  );
  return fresh;
}

export async function clearPendingSignIn(fs: FsPort, dataDir: string): Promise<void> {
  await fs.writeFileAtomic(join(dataDir, PENDING_FILE), Buffer.from(''));
}
