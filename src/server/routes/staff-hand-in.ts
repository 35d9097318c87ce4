import { MAX_BATCH_RECORDS } from '../../common/api';
import { HandInError, openHandIn } from '../../common/hand-in';
import { GENESIS_HASH } from '../../common/journal-record';
import type { Refusal } from '../../common/refusals';
import { HttpError } from '../errors';
import { ingestBatch } from '../ingest';
import { publishStored } from '../live-publish';
import { findCandidate } from '../repositories/candidates';
import { getJournal, openJournal } from '../repositories/journals';

import type { StaffRouteDef } from './staff-guard';

/** 100,000 records of hex-sealed JSON fit well inside this. */
export const HAND_IN_BODY_LIMIT = 128 * 1024 * 1024;

export const handInRoutes: StaffRouteDef[] = [
  {
    method: 'POST',
    url: '/exams/:examId/hand-in',
    access: 'exam',
    action: 'hand-in.upload',
    bodyLimit: HAND_IN_BODY_LIMIT,
    handler: async ({ request, exam, note }, context) => {
      let content;
      try {
        content = openHandIn(request.body, context.keys.handIn.secretKey);
      } catch (error) {
        if (error instanceof HandInError) throw new HttpError(400, 'bad-hand-in', error.message);
        throw error;
      }
      if (content.examId !== exam!.id) {
        throw new HttpError(400, 'wrong-exam', 'This hand-in file belongs to another exam.');
      }
      const { db } = context.storage;
      const candidate = await findCandidate(db, exam!.id, content.candidateNumber);
      if (!candidate)
        throw new HttpError(
          400,
          'unknown-candidate',
          `Candidate ${content.candidateNumber} is not in this exam.`,
        );
      const existing = await getJournal(db, content.journalId);
      if (existing && existing.candidate_id !== candidate.id) {
        throw new HttpError(400, 'wrong-journal', 'This journal belongs to another candidate.');
      }
      if (!existing) {
        // A candidate who never reached the server online: the file is their only upload.
        await openJournal(db, {
          journalId: content.journalId,
          candidateId: candidate.id,
          deviceIdHash: GENESIS_HASH,
          clientVersion: '0.0.0',
          now: context.now(),
        });
      }
      let stored = 0;
      let refusal: Refusal | null = null;
      const records = [...content.records].sort((a, b) => a.seq - b.seq);
      for (let i = 0; i < records.length && refusal === null; i += MAX_BATCH_RECORDS) {
        const result = await ingestBatch(
          db,
          context.storage.dialect,
          content.journalId,
          records.slice(i, i + MAX_BATCH_RECORDS),
          context.now(),
          exam!.content,
        );
        if (result.kind === 'not-active') {
          throw new HttpError(
            409,
            'awaiting-approval',
            'Approve this device for the candidate first, then upload again.',
          );
        }
        stored += result.stored.length;
        await publishStored(context, exam!, candidate.id, content.journalId, result.stored);
        if (result.kind === 'refused') refusal = result.refusal;
      }
      await context.feed.publish({
        type: 'candidate',
        examId: exam!.id,
        candidateId: candidate.id,
      });
      const journal = await getJournal(db, content.journalId);
      note(
        `journal ${content.journalId}: ${stored} new records${refusal ? `, refused: ${refusal.code}` : ''}`,
      );
      return { journalId: content.journalId, stored, watermark: journal?.watermark ?? 0, refusal };
    },
  },
];
