import { join } from 'node:path';

import { sealHandIn } from '../../common/hand-in';
import { handInStatement, journalSigningKey, signHandIn } from '../../common/journal-key';
import type { FsPort } from '../fs-port';

import type { SessionFile } from './session-file';
import type { JournalView } from './session-writer';

/**
 * Writes the offline hand-in file into `dir`: the whole journal sealed to the server's X25519
 * key from the exam package, so only the server can open it, and signed by the journal's own
 * key, so the server knows it comes from this journal. Returns the file's name.
 */
export async function exportHandIn(
  fs: FsPort,
  dir: string,
  session: SessionFile,
  journal: Pick<JournalView, 'allRecords'>,
  /** The journal's encryption key, from which its signing key derives. */
  journalKey: Uint8Array,
): Promise<string> {
  const content = {
    examId: session.signed.package.examId,
    candidateNumber: session.candidateNumber,
    journalId: session.journalId,
    records: await journal.allRecords(),
  };
  const signature = signHandIn(
    handInStatement(content),
    journalSigningKey(journalKey, session.journalId),
  );
  const sealed = sealHandIn({ ...content, signature }, session.signed.package.handInPublicKey);
  const safe = (text: string) => text.replace(/[^0-9A-Za-z-]/g, '_');
  const fileName = `vakt-hand-in-${safe(session.examCode)}-${safe(session.candidateNumber)}-${session.journalId.slice(0, 8)}.json`;
  await fs.mkdir(dir);
  await fs.writeFileAtomic(join(dir, fileName), Buffer.from(JSON.stringify(sealed)));
  return fileName;
}
