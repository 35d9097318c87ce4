import type {} from '@fastify/rate-limit';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';

import {
  ackSchema,
  CLIENT_ROUTES,
  heartbeatRequestSchema,
  heartbeatResponseSchema,
  latestAnswersResponseSchema,
  MAX_BATCH_BYTES,
  MAX_BATCH_RECORDS,
  receiptStatement,
  signedExamPackageSchema,
  signInRequestSchema,
  signInResponseSchema,
  uploadRequestSchema,
  type ExamPackage,
} from '../../common/api';
import { offlineAfterMs } from '../../common/liveness';
import { signCanonical } from '../../common/signing';
import { clientAddress } from '../auth/client-address';
import {
  attemptSucceeded,
  reserveAttempt,
  retryAfterSeconds,
  type ThrottleRule,
} from '../auth/throttle';
import { DEFAULT_WAITING_ROOM_MINUTES, type ServerContext } from '../context';
import { HttpError, sendRefusal } from '../errors';
import { latestAnswers } from '../repositories/answers';
import { findCandidate, getCandidate, placeOf } from '../repositories/candidates';
import { findExamByCode } from '../repositories/exams';
import { pendingInstructions } from '../repositories/instructions';
import {
  getJournal,
  journalStanding,
  JournalOwnerError,
  openJournal,
  recordHeartbeat,
  type Journal,
} from '../repositories/journals';
import { createSession } from '../repositories/sessions';
import { verifySecret } from '../secrets';
import { candidateDeadline } from '../sync/deadline';
import { minimumFor, refuseIfOlder } from '../sync/versions';

import { authenticate } from './client-auth';

const HOUR = 3_600_000;
const MINUTE = 60_000;
const WRONG_CREDENTIALS =
  'The exam code, candidate number or personal code is not right. Check them, or ask the invigilator.';

/**
 * Personal-code guesses: per candidate whatever the address (rotating addresses gain nothing),
 * per candidate and address, and per address with room for a whole exam hall behind one NAT.
 */
function signInThrottle(examCode: string, candidateNumber: string, ip: string): ThrottleRule[] {
  const who = `${examCode}|${candidateNumber}`;
  return [
    { key: `candidate:${who}`, free: 10, baseMs: 2_000, maxMs: 5 * 60_000 },
    { key: `candidate:${who}|${ip}`, free: 5, baseMs: 1_000, maxMs: 15 * 60_000 },
    { key: `candidate-address:${ip}`, free: 200, baseMs: 1_000, maxMs: 5 * 60_000 },
  ];
}

const AWAITING_APPROVAL =
  'This computer is waiting for the invigilator to approve it. Your answers are kept here meanwhile.';
const REPLACED =
  'This exam continues on another computer. What is written here is kept but does not count: ask the invigilator.';

/** Only an active journal sees the exam and the answers; a second device waits for approval. */
function requireApproved(journal: Journal): void {
  if (journal.state === 'superseded') throw new HttpError(409, 'replaced', REPLACED);
  if (journal.state !== 'active') throw new HttpError(409, 'awaiting-approval', AWAITING_APPROVAL);
}

/** The candidate API (DESIGN.md "Sync protocol"). */
export function clientRoutes(context: ServerContext): FastifyPluginAsync {
  // Fastify plugins are async by contract; registering routes needs no await.
  // eslint-disable-next-line @typescript-eslint/require-await
  return async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const { db } = context.storage;

    app.post(CLIENT_ROUTES.signIn, {
      schema: { body: signInRequestSchema, response: { 200: signInResponseSchema } },
      config: {
        rateLimit: {
          max: 10,
          timeWindow: 60_000,
          hook: 'preHandler',
          keyGenerator: (request) => {
            const body = request.body as { examCode?: string; candidateNumber?: string };
            return `${clientAddress(request)}|${body.examCode ?? ''}|${body.candidateNumber ?? ''}`;
          },
        },
      },
      handler: async (request) => {
        const body = request.body;
        const now = context.now();
        refuseIfOlder(body.clientVersion, context.minClientVersion);
        const rules = signInThrottle(body.examCode, body.candidateNumber, clientAddress(request));
        const reservation = await reserveAttempt(db, context.storage.dialect, rules, now);
        if (!reservation.allowed) {
          const seconds = retryAfterSeconds(reservation.retryAfterMs);
          throw new HttpError(
            429,
            'too-many-attempts',
            `Too many wrong tries for this candidate number. Wait ${seconds} seconds, or ask the invigilator.`,
            { 'retry-after': String(seconds) },
            { retryAfterSeconds: seconds },
          );
        }
        const exam = await findExamByCode(db, body.examCode);
        const candidate = exam ? await findCandidate(db, exam.id, body.candidateNumber) : null;
        // Always run the hash, so a wrong exam code answers as slowly as a wrong personal code.
        const valid = await verifySecret(body.personalCode, candidate?.personal_code_hash ?? null);
        if (!exam || !candidate || !valid)
          throw new HttpError(401, 'wrong-credentials', WRONG_CREDENTIALS);
        await attemptSucceeded(db, [rules[0]!.key, rules[1]!.key], [rules[2]!.key]);
        // The exam may ask for a newer client than the server does (known only now: the exam
        // code is a sign-in factor, so nothing about the exam is told before the code is right).
        refuseIfOlder(
          body.clientVersion,
          minimumFor(context.minClientVersion, exam.minClientVersion),
        );
        const expiresAt = exam.closesAt + exam.policy.offlineGraceHours * HOUR;
        // Early enough for the waiting room: signed in, checked, waiting for the opening.
        const signInFrom =
          exam.opensAt - (context.waitingRoomMinutes ?? DEFAULT_WAITING_ROOM_MINUTES) * MINUTE;
        if (now < signInFrom) {
          throw new HttpError(
            403,
            'exam-not-open',
            `This exam opens at ${new Date(exam.opensAt).toISOString()}; sign-in opens at ${new Date(signInFrom).toISOString()}.`,
            {},
            { opensAt: exam.opensAt, signInFrom },
          );
        }
        if (now >= expiresAt) throw new HttpError(403, 'exam-closed', 'This exam has closed.');
        // After the deadline only a journal the server already knows may come back (to upload).
        if (
          now > (await candidateDeadline(db, exam, candidate.id)) &&
          !(await getJournal(db, body.journalId))
        ) {
          throw new HttpError(403, 'exam-closed', 'This exam has closed.');
        }
        let journal;
        try {
          journal = await openJournal(db, {
            journalId: body.journalId,
            candidateId: candidate.id,
            deviceIdHash: body.deviceIdHash,
            clientVersion: body.clientVersion,
            ...(body.platform ? { platform: body.platform } : {}),
            publicKey: body.journalPublicKey,
            now,
          });
        } catch (error) {
          if (error instanceof JournalOwnerError)
            throw new HttpError(403, 'wrong-journal', error.message);
          throw error;
        }
        const token = await createSession(db, candidate.id, journal.id, expiresAt, now);
        context.live.candidate(exam.id, candidate.id);
        return {
          token,
          expiresAt,
          ...journalStanding(journal),
          watermark: journal.watermark,
          headHash: journal.head_hash,
          serverTime: now,
        };
      },
    });

    app.get(CLIENT_ROUTES.examPackage, {
      schema: { response: { 200: signedExamPackageSchema } },
      handler: async (request) => {
        const { exam, session, journal } = await authenticate(context, request, {
          configKey: false,
        });
        requireApproved(journal);
        const candidate = await getCandidate(db, session.candidate_id);
        const examPackage: ExamPackage = {
          examId: exam.id,
          examCode: exam.code,
          opensAt: exam.opensAt,
          closesAt: exam.closesAt,
          policy: exam.policy,
          // The exam's own title (exam.title is the dashboard's, which staff may rename).
          title: exam.content.title,
          // Not one question before the opening: a laptop in the waiting room has none to leak.
          content: context.now() < exam.opensAt ? null : exam.content,
          candidate: {
            number: candidate.candidate_number,
            name: candidate.name,
            extraMinutes: candidate.extra_minutes,
          },
          handInPublicKey: context.keys.handIn.publicKey,
          issuedAt: context.now(),
        };
        return {
          package: examPackage,
          signature: signCanonical(examPackage, context.keys.signing.secretKey),
          publicKey: context.keys.signing.publicKey,
        };
      },
    });

    app.post(CLIENT_ROUTES.records, {
      schema: { body: uploadRequestSchema, response: { 200: ackSchema } },
      bodyLimit: MAX_BATCH_BYTES,
      handler: async (request, reply) => {
        const { journal, exam } = await authenticate(context, request, { configKey: true });
        const { journalId, records } = request.body;
        if (journalId !== journal.id) {
          throw new HttpError(403, 'wrong-journal', 'This sign-in is for another journal.');
        }
        if (records.length > MAX_BATCH_RECORDS) {
          return sendRefusal(reply, {
            code: 'too-large',
            maxRecords: MAX_BATCH_RECORDS,
            maxBytes: MAX_BATCH_BYTES,
            message: `A batch may hold at most ${MAX_BATCH_RECORDS} records: split it.`,
          });
        }
        const result = await context.ingest.batch(journalId, records, context.now(), exam);
        if (result.kind !== 'not-active') {
          context.live.stored(exam.id, journal.candidate_id, result);
        }
        if (result.kind === 'refused') return sendRefusal(reply, result.refusal);
        if (result.kind === 'not-active') {
          throw new HttpError(409, 'awaiting-approval', AWAITING_APPROVAL);
        }
        const { receipt } = result.ack;
        if (!receipt) return result.ack;
        // Signed, so the candidate's receipt proves itself without this server.
        const statement = receiptStatement(exam.id, journalId, receipt);
        const signature = signCanonical(statement, context.keys.signing.secretKey);
        return { ...result.ack, receipt: { ...receipt, signature } };
      },
    });

    app.post(CLIENT_ROUTES.heartbeat, {
      schema: { body: heartbeatRequestSchema, response: { 200: heartbeatResponseSchema } },
      handler: async (request) => {
        const { journal, session, exam } = await authenticate(context, request, {
          configKey: true,
        });
        if (request.body.journalId !== journal.id) {
          throw new HttpError(403, 'wrong-journal', 'This sign-in is for another journal.');
        }
        const now = context.now();
        const battery = request.body.device?.battery ?? null;
        const network = request.body.device?.network ?? null;
        const charging = battery === null ? null : battery.charging ? 1 : 0;
        await recordHeartbeat(db, {
          now,
          status: request.body.status,
          headSeq: request.body.headSeq,
          level: battery?.level ?? null,
          charging,
          network,
          journalId: journal.id,
        });
        if (
          journal.status !== request.body.status ||
          journal.battery_level !== (battery?.level ?? null) ||
          journal.battery_charging !== charging ||
          journal.network !== network ||
          journal.client_head_seq !== request.body.headSeq ||
          now - journal.last_seen_at > offlineAfterMs(exam.policy.heartbeatIntervalMs)
        ) {
          context.live.candidate(exam.id, journal.candidate_id);
        }
        return {
          watermark: journal.watermark,
          serverTime: now,
          ...journalStanding(journal),
          instructions: await pendingInstructions(db, session.candidate_id),
        };
      },
    });

    app.get(CLIENT_ROUTES.answers, {
      schema: { response: { 200: latestAnswersResponseSchema } },
      handler: async (request) => {
        const { session, journal } = await authenticate(context, request, { configKey: true });
        requireApproved(journal);
        return {
          answers: await latestAnswers(db, session.candidate_id),
          place: await placeOf(db, session.candidate_id),
        };
      },
    });
  };
}
