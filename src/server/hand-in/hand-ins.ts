import type { Kysely } from 'kysely';

import { MAX_BATCH_RECORDS } from '../../common/api';
import { HandInError, type HandInContent } from '../../common/hand-in';
import { handInStatement, verifyHandIn } from '../../common/journal-key';
import type { Refusal } from '../../common/refusals';
import type { Database } from '../db/schema';
import { HttpError } from '../errors';
import type { LivePublisher } from '../live/publish';
import { findCandidate, type Candidate } from '../repositories/candidates';
import type { Exam } from '../repositories/exams';
import { holdHandIn } from '../repositories/hand-ins';
import { getJournal, type Journal } from '../repositories/journals';
import type { Ingest } from '../sync/ingest';
import { serverFlag } from '../sync/severity';

import { openHandInOffThread } from './thread';

export interface HandInsOptions {
  db: Kysely<Database>;
  ingest: Ingest;
  live: LivePublisher;
  /** The server's X25519 secret key (hex) hand-in files are sealed to. */
  secretKey: string;
  now: () => number;
}

export interface HandInOutcome {
  journalId: string;
  stored: number;
  watermark: number;
  refusal: Refusal | null;
  held: { id: string; reason: string; message: string } | null;
  /** What the audit entry says. */
  note: string;
}

/**
 * Offline hand-in files an invigilator uploads (DESIGN.md "Offline hand-in"): opened off the
 * event loop, and ingested exactly as uploads when the file proves it is the candidate's own
 * journal; otherwise kept aside, whole, for an invigilator to decide.
 */
export class HandIns {
  constructor(private readonly options: HandInsOptions) {}

  async upload(file: Buffer, exam: Exam, uploadedBy: string): Promise<HandInOutcome> {
    const { db, live } = this.options;
    let content: HandInContent;
    try {
      content = await openHandInOffThread(file, this.options.secretKey);
    } catch (error) {
      if (error instanceof HandInError) throw new HttpError(400, 'bad-hand-in', error.message);
      throw error;
    }
    if (content.examId !== exam.id) {
      throw new HttpError(400, 'wrong-exam', 'This hand-in file belongs to another exam.');
    }
    const candidate = await findCandidate(db, exam.id, content.candidateNumber);
    if (!candidate) {
      const number = content.candidateNumber;
      throw new HttpError(400, 'unknown-candidate', `Candidate ${number} is not in this exam.`);
    }
    const reason = holdReason(content, candidate, await getJournal(db, content.journalId));
    if (reason !== null) {
      const flag = serverFlag(
        'hand-in.quarantined',
        { candidateId: candidate.id, journalId: content.journalId, seq: null },
        reason,
      );
      const id = await holdHandIn(
        db,
        { examId: exam.id, candidateId: candidate.id, content, reason, uploadedBy },
        flag,
        this.options.now(),
      );
      live.candidate(exam.id, candidate.id);
      return {
        journalId: content.journalId,
        stored: 0,
        watermark: 0,
        refusal: null,
        held: {
          id,
          reason,
          message: `Kept aside for an invigilator to decide: ${reason}. Nothing in the file is lost.`,
        },
        note: `journal ${content.journalId}: held (${reason})`,
      };
    }
    const { stored, refusal } = await this.ingest(content, exam, candidate);
    live.candidate(exam.id, candidate.id);
    const journal = await getJournal(db, content.journalId);
    return {
      journalId: content.journalId,
      stored,
      watermark: journal?.watermark ?? 0,
      refusal,
      held: null,
      note: `journal ${content.journalId}: ${stored} new records${refusal ? `, refused: ${refusal.code}` : ''}`,
    };
  }

  /** The file's records, in batches of the upload's size, as uploads would bring them. */
  private async ingest(content: HandInContent, exam: Exam, candidate: Candidate) {
    let stored = 0;
    let refusal: Refusal | null = null;
    const records = [...content.records].sort((a, b) => a.seq - b.seq);
    for (let i = 0; i < records.length && refusal === null; i += MAX_BATCH_RECORDS) {
      const batch = records.slice(i, i + MAX_BATCH_RECORDS);
      const result = await this.options.ingest.batch(
        content.journalId,
        batch,
        this.options.now(),
        exam,
      );
      if (result.kind === 'not-active') {
        throw new HttpError(409, 'not-active', 'The journal stopped being active; upload again.');
      }
      stored += result.stored.length;
      this.options.live.stored(exam.id, candidate.id, result);
      if (result.kind === 'refused') refusal = result.refusal;
    }
    return { stored, refusal };
  }
}

/** Why a file cannot be stored as the candidate's journal; null when it proves it may. */
function holdReason(
  content: HandInContent,
  candidate: Candidate,
  journal: Journal | null,
): string | null {
  if (!journal) return 'the server has never seen this journal (no sign-in registered it)';
  if (journal.candidate_id !== candidate.id) return "the journal is another candidate's";
  if (journal.public_key === null) return 'the journal registered no signing key';
  if (!content.signature) return 'the file is not signed';
  if (!verifyHandIn(handInStatement(content), content.signature, journal.public_key))
    return "the signature is not the journal's";
  // A superseded journal (the laptop switched away from) is stored as evidence by ingest.
  if (journal.state !== 'active' && journal.state !== 'superseded')
    return `the journal is ${journal.state}, not active`;
  return null;
}
