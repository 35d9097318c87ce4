import { z } from 'zod';

import { answerValueSchema, type AnswerValue } from './answers';
import { canonicalJson } from './canonical-json';
import { examContentSchema } from './content';
import { deviceSchema } from './device';
import {
  addedMinutesSchema,
  instructionKindSchema,
  lockReasonSchema,
  messageTextSchema,
  pausedMsSchema,
  placeSchema,
} from './events';
import { sha256Hex } from './hash';
import { epochMsSchema, journalIdSchema, nonceSchema, sha256HexSchema } from './ids';
import { journalRecordSchema } from './journal-record';
import { platformSchema } from './platform';
import { examPolicySchema } from './policy';
import { problemParamsSchema } from './problems';
import { signedInPhaseSchema } from './session-phase';

/** The candidate API (`/api/v1/client`): one schema source for client and server. */

export const CLIENT_API_PREFIX = '/api/v1/client';
export const CLIENT_ROUTES = {
  signIn: `${CLIENT_API_PREFIX}/sign-in`,
  examPackage: `${CLIENT_API_PREFIX}/exam-package`,
  records: `${CLIENT_API_PREFIX}/records`,
  heartbeat: `${CLIENT_API_PREFIX}/heartbeat`,
  /** The candidate's latest answers, to seed an approved second device. */
  answers: `${CLIENT_API_PREFIX}/answers`,
} as const;

/** Bounds on one upload: a client splits larger batches, the server refuses them (`too-large`). */
export const MAX_BATCH_RECORDS = 500;
export const MAX_BATCH_BYTES = 1024 * 1024;

const hex = (bytes: number) =>
  z.string().regex(new RegExp(`^[0-9a-f]{${bytes * 2}}$`), `must be ${bytes * 2} hex characters`);

export const signInRequestSchema = z.strictObject({
  examCode: z.string().trim().min(1, 'enter the exam code').max(32).toUpperCase(),
  candidateNumber: z.string().trim().min(1, 'enter your candidate number').max(32),
  personalCode: z.string().min(1, 'enter your personal code').max(64),
  journalId: journalIdSchema,
  deviceIdHash: sha256HexSchema,
  /** The journal's Ed25519 public key: the server accepts hand-in files signed by it only. */
  journalPublicKey: hex(32),
  clientVersion: z
    .string()
    .regex(/^\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/, 'must be a semantic version'),
  /** The laptop's operating system, for the invigilator's table (older clients omit it). */
  platform: platformSchema.optional(),
});
export type SignInRequest = z.infer<typeof signInRequestSchema>;

/**
 * What the server says of a journal: `active` (uploads count), `awaiting-approval` (a second
 * device; uploads wait until an invigilator approves it) or `replaced` (the candidate moved to
 * another device: what this one sends after `replacedAfter` is kept as evidence, not counted).
 */
export const journalStateSchema = z.enum(['active', 'awaiting-approval', 'replaced']);
export type JournalState = z.infer<typeof journalStateSchema>;

/** The server's view of a journal, in every reply that can change it (see OpenSession). */
export const journalStandingSchema = z.strictObject({
  journalState: journalStateSchema,
  /** An approved second device that has not yet journaled `answers.seeded`: it must start from the candidate's answers on the server. */
  needsAnswers: z.boolean(),
  /** For a replaced journal: the last record that counted. */
  replacedAfter: z.int().nonnegative().nullable(),
});
export type JournalStanding = z.infer<typeof journalStandingSchema>;

export const signInResponseSchema = z.strictObject({
  token: z.string().min(32).max(128),
  expiresAt: epochMsSchema,
  ...journalStandingSchema.shape,
  watermark: z.int().nonnegative(),
  headHash: sha256HexSchema,
  serverTime: epochMsSchema,
});
export type SignInResponse = z.infer<typeof signInResponseSchema>;

/** What the server signs: everything the client needs to sit the exam offline. */
export const examPackageSchema = z.strictObject({
  examId: z.string().min(1).max(100),
  examCode: z.string().min(1).max(32),
  opensAt: epochMsSchema,
  closesAt: epochMsSchema,
  policy: examPolicySchema,
  /**
   * The exam's title, also while the questions are not here yet (the waiting room shows it).
   * Absent in packages kept by a client before 0.2.0.
   */
  title: z.string().min(1).max(200).optional(),
  /**
   * The questions; null before the exam opens. A candidate who signs in early waits with the
   * checks done, and the client fetches the package again at the opening (server time).
   */
  content: examContentSchema.nullable(),
  candidate: z.strictObject({
    number: z.string().max(32),
    /** Shown on the exam screen, so an invigilator can check who sits there (absent: older). */
    name: z.string().max(200).optional(),
    extraMinutes: z
      .int()
      .min(0)
      .max(24 * 60),
  }),
  /** X25519 public key an offline hand-in file is sealed to. */
  handInPublicKey: hex(32),
  issuedAt: epochMsSchema,
});
export type ExamPackage = z.infer<typeof examPackageSchema>;

export const signedExamPackageSchema = z.strictObject({
  package: examPackageSchema,
  /** Ed25519 over the RFC 8785 canonical JSON of `package`. */
  signature: hex(64),
  /** The server's Ed25519 public key; the client compares it with the pinned one. */
  publicKey: hex(32),
});
export type SignedExamPackage = z.infer<typeof signedExamPackageSchema>;

export const uploadRequestSchema = z.strictObject({
  journalId: journalIdSchema,
  records: z.array(journalRecordSchema).min(1, 'a batch needs at least one record'),
});
export type UploadRequest = z.infer<typeof uploadRequestSchema>;

export const receiptSchema = z.strictObject({
  answersHash: sha256HexSchema,
  headSeq: z.int().positive(),
  /** False when the server's own copy of the answers hashes differently: flagged, never hidden. */
  matches: z.boolean(),
  receivedAt: epochMsSchema,
  /**
   * Ed25519, by the server's signing key (the one the client pins), over the canonical JSON of
   * `receiptStatement`: the receipt proves itself offline, also after a server restore.
   * Absent from servers before 0.2.0.
   */
  signature: hex(64).optional(),
});
export type Receipt = z.infer<typeof receiptSchema>;

/** What a receipt's signature covers: which exam and journal, what was handed in, when. */
export function receiptStatement(
  examId: string,
  journalId: string,
  receipt: Omit<Receipt, 'signature'>,
) {
  const { answersHash, headSeq, matches, receivedAt } = receipt;
  return {
    type: 'vakt-receipt/1',
    examId,
    journalId,
    answersHash,
    headSeq,
    matches,
    receivedAt,
  };
}

export const ackSchema = z.strictObject({
  watermark: z.int().nonnegative(),
  headHash: sha256HexSchema,
  nonce: nonceSchema,
  serverTime: epochMsSchema,
  receipt: receiptSchema.optional(),
  /** The journal was replaced by another device: records after this seq do not count. */
  replacedAfter: z.int().nonnegative().optional(),
});
export type Ack = z.infer<typeof ackSchema>;

export const heartbeatRequestSchema = z.strictObject({
  journalId: journalIdSchema,
  headSeq: z.int().nonnegative(),
  status: signedInPhaseSchema,
  /** The laptop's battery and network type, where the client can read them. */
  device: deviceSchema.optional(),
});
export type HeartbeatRequest = z.infer<typeof heartbeatRequestSchema>;

export const instructionSchema = z.strictObject({
  id: z.string().min(1).max(100),
  kind: instructionKindSchema,
  /** For `add-time`: minutes added. */
  minutes: addedMinutesSchema.optional(),
  /** For `lock`: what the invigilator tells the candidate. */
  reason: lockReasonSchema.optional(),
  /** For `pause`: when it was given, on the server's clock (the clock stands still from then). */
  at: epochMsSchema.optional(),
  /** For `resume`: how long the pause was, given back to the candidate. */
  pausedMs: pausedMsSchema.optional(),
  /** For `message`: what the invigilator writes. */
  text: messageTextSchema.optional(),
});
export type Instruction = z.infer<typeof instructionSchema>;

export const heartbeatResponseSchema = z.strictObject({
  watermark: z.int().nonnegative(),
  /** `journalState` becomes `active` once an invigilator approves a second device. */
  ...journalStandingSchema.shape,
  serverTime: epochMsSchema,
  instructions: z.array(instructionSchema).max(50),
});
export type HeartbeatResponse = z.infer<typeof heartbeatResponseSchema>;

/** Every non-refusal error the API answers with (4xx). */
export const apiErrorSchema = z.strictObject({
  error: z.strictObject({
    code: z.string().max(50),
    message: z.string().max(1_000),
    /** What a client needs to put the error in its own words (a time, a wait). */
    params: problemParamsSchema.optional(),
    /** Each thing wrong with the input, where there were several (a form's fields). */
    problems: z.array(z.string().max(1_000)).max(200).optional(),
  }),
});
export type ApiError = z.infer<typeof apiErrorSchema>;

/** The answers map a submission seals: question id → latest answer. */
export const answersMapSchema = z.record(z.string(), answerValueSchema);

/** GET answers: the candidate's latest answers, to seed an approved second device. */
export const latestAnswersResponseSchema = z.strictObject({
  answers: answersMapSchema,
  /** Where the candidate was: the second laptop opens there (absent: an older server). */
  place: placeSchema.nullable().optional(),
});

/** sha256hex of the canonical JSON of the map question → latest answer. */
export function answersHash(answers: Readonly<Record<string, AnswerValue>>): string {
  return sha256Hex(canonicalJson(answers));
}
