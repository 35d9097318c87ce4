import { MAX_BATCH_RECORDS } from '../../common/api';
import { HandInError, type HandInContent } from '../../common/hand-in';
import { handInStatement, verifyHandIn } from '../../common/journal-key';
import type { Refusal } from '../../common/refusals';
import { STAFF_ROUTE_TABLE } from '../../common/staff-routes';
import { HttpError } from '../errors';
import { openHandInOffThread } from '../hand-in-thread';
import { ingestBatch, ingestServer } from '../ingest';
import { publishStored } from '../live-publish';
import { findCandidate, type Candidate } from '../repositories/candidates';
import { heldHandIns, holdHandIn } from '../repositories/hand-ins';
import { getJournal, type Journal } from '../repositories/journals';

import { staffRoute, type StaffRouteDef } from './staff-guard';

/** 100,000 records (MAX_HAND_IN_RECORDS) of hex-sealed JSON fit inside this. */
export const HAND_IN_BODY_LIMIT = 64 * 1024 * 1024;

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

export const handInRoutes: StaffRouteDef[] = [
  staffRoute(STAFF_ROUTE_TABLE.handIn, {
    access: 'exam',
    action: 'hand-in.upload',
    bodyLimit: HAND_IN_BODY_LIMIT,
    rawBody: true,
    handler: async ({ request, reply, exam, user, note }, context) => {
      let content: HandInContent;
      try {
        content = await openHandInOffThread(request.body as Buffer, context.keys.handIn.secretKey);
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
      const reason = holdReason(content, candidate, await getJournal(db, content.journalId));
      if (reason !== null) {
        const id = await holdHandIn(
          db,
          { examId: exam!.id, candidateId: candidate.id, content, reason, uploadedBy: user.id },
          context.now(),
        );
        await context.feed.publish({
          type: 'candidate',
          examId: exam!.id,
          candidateId: candidate.id,
        });
        note(`journal ${content.journalId}: held (${reason})`);
        void reply.code(202);
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
        };
      }
      const ingest = ingestServer(context);
      let stored = 0;
      let refusal: Refusal | null = null;
      const records = [...content.records].sort((a, b) => a.seq - b.seq);
      for (let i = 0; i < records.length && refusal === null; i += MAX_BATCH_RECORDS) {
        const result = await ingestBatch(
          ingest,
          content.journalId,
          records.slice(i, i + MAX_BATCH_RECORDS),
          context.now(),
          exam!,
        );
        if (result.kind === 'not-active') {
          throw new HttpError(409, 'not-active', 'The journal stopped being active; upload again.');
        }
        stored += result.stored.length;
        await publishStored(context, exam!, candidate.id, content.journalId, result);
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
      return {
        journalId: content.journalId,
        stored,
        watermark: journal?.watermark ?? 0,
        refusal,
        held: null,
      };
    },
  }),
  staffRoute(STAFF_ROUTE_TABLE.heldHandIns, {
    access: 'exam',
    action: 'hand-in.list-held',
    handler: async ({ exam }, context) => ({
      held: await heldHandIns(context.storage.db, exam!.id),
    }),
  }),
];
