import { z } from 'zod';

import { batterySchema } from './device';
import {
  addedMinutesSchema,
  instructionKindSchema,
  lockReasonSchema,
  messageTextSchema,
  preflightBlockerSchema,
} from './events';
import { epochMsSchema } from './ids';
import { platformSchema } from './platform';

/** The staff API (`/api/v1/staff`), used by the dashboard. */
export const STAFF_API_PREFIX = '/api/v1/staff';

export const STAFF_ROLES = ['admin', 'invigilator'] as const;
export const staffRoleSchema = z.enum(STAFF_ROLES);
export type StaffRole = z.infer<typeof staffRoleSchema>;

export const staffSignInSchema = z.strictObject({
  email: z.email({ message: 'must be an email address' }).max(200),
  password: z.string().min(1).max(200),
});

export const staffUserSchema = z.strictObject({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: staffRoleSchema,
});
export type StaffUser = z.infer<typeof staffUserSchema>;

/** A staff account as the admin page lists it. */
export const staffAccountSchema = staffUserSchema.extend({ disabled: z.boolean() });
export type StaffAccount = z.infer<typeof staffAccountSchema>;

/** An admin's change to a staff account (each takes effect at once, open streams too). */
export const staffUpdateSchema = z.strictObject({
  role: staffRoleSchema.optional(),
  disabled: z.boolean().optional(),
});

/** An admin sets a new password for an account; its sessions end. */
export const staffPasswordSchema = z.strictObject({
  password: z.string().min(12, 'must be at least 12 characters').max(200),
});

export const newStaffUserSchema = z.strictObject({
  email: z.email({ message: 'must be an email address' }).max(200),
  name: z.string().trim().min(1).max(200),
  role: staffRoleSchema,
  password: z.string().min(12, 'must be at least 12 characters').max(200),
});

/** Where a candidate is, as the invigilator's list shows it. */
export const CANDIDATE_STATES = [
  'not-started',
  'awaiting-approval',
  'preflight',
  'in-progress',
  'locked',
  'paused',
  'offline',
  'submitting',
  'submitted',
  /** Submitted, but the server's copy of the answers hashes differently: look at it. */
  'submission-mismatch',
] as const;
export const candidateStateSchema = z.enum(CANDIDATE_STATES);
export type CandidateState = z.infer<typeof candidateStateSchema>;

export const SEVERITIES = ['info', 'low', 'medium', 'high'] as const;
export const severitySchema = z.enum(SEVERITIES);
export type Severity = z.infer<typeof severitySchema>;

const flagCountsSchema = z.strictObject({ low: z.int(), medium: z.int(), high: z.int() });

export const candidateRowSchema = z.strictObject({
  id: z.string(),
  candidateNumber: z.string(),
  name: z.string(),
  extraMinutes: z.int(),
  state: candidateStateSchema,
  lastSeenAt: epochMsSchema.nullable(),
  clientVersion: z.string().nullable(),
  /** The laptop's operating system, when the client said. */
  platform: platformSchema.nullable(),
  watermark: z.int(),
  /** Questions with an answer the server holds, of `questions`. */
  answered: z.int(),
  questions: z.int(),
  /** Records the client said it holds that the server does not have yet. */
  waiting: z.int(),
  /** Flags nobody has reviewed yet, by severity; reviewed ones are counted in `reviewed`. */
  flags: flagCountsSchema,
  reviewed: z.int(),
  /** Unreviewed findings from before the exam started (preflight): not counted in `flags`. */
  beforeStart: z.int(),
  /** Instructions sent that the client has not applied yet. */
  pendingInstructions: z.int(),
  /** Messages sent that the candidate has not said they read. */
  unreadMessages: z.int(),
  /**
   * When time runs out for the candidate (the server's clock): from their start, with extra
   * time, time added and pauses ended; null before they start. Moves on while a pause runs.
   */
  endsAt: epochMsSchema.nullable(),
  /** A raised hand no invigilator has answered yet (when the server heard), and its words. */
  handRaisedAt: epochMsSchema.nullable(),
  handText: z.string().nullable(),
  /** In the checks: what keeps the exam from starting, as the laptop last said (else empty). */
  blockers: z.array(preflightBlockerSchema),
  /** The laptop's battery and network type, as its last heartbeat said (null: not told). */
  battery: batterySchema.nullable(),
  network: z.enum(['wifi', 'wired']).nullable(),
});
export type CandidateRow = z.infer<typeof candidateRowSchema>;

/**
 * At most this many ids in one `?ids=` list: 200 UUIDs make a URL of about 7.4 KB, well under
 * Node's 16 KiB limit on a request's headers (500 passed it at about 415, answered 431).
 */
export const MAX_ROW_IDS = 200;

/** `?ids=a,b,c`: only these candidates' rows (what a live update named), at most MAX_ROW_IDS. */
export const candidateListQuerySchema = z.strictObject({
  ids: z
    .string()
    .max(MAX_ROW_IDS * 40)
    .transform((text) => [...new Set(text.split(',').filter((id) => id.length > 0))])
    .pipe(z.array(z.string().max(100)).max(MAX_ROW_IDS))
    .optional(),
});

export const flagReviewSchema = z.strictObject({
  decision: z.string(),
  comment: z.string(),
  reviewer: z.string(),
  at: epochMsSchema,
});

/** What a timeline entry and an incident say about one event. */
const eventFields = {
  /** `client`: a journal record; `server`: what the server flagged itself (quarantine, late). */
  source: z.enum(['client', 'server']),
  journalId: z.string().nullable(),
  seq: z.int().nullable(),
  kind: z.string(),
  severity: severitySchema,
  payload: z.unknown(),
  receivedAt: epochMsSchema,
};

export const timelineEntrySchema = z.strictObject({
  ...eventFields,
  /** The client's clock, for journal records. */
  clientAt: epochMsSchema.nullable(),
  notBefore: epochMsSchema.nullable(),
  /** The client's clock fell outside [notBefore, receivedAt]: shown, not judged. */
  clockSuspect: z.boolean(),
  /** Recorded before the exam started (during the checks): not an exam flag. */
  beforeStart: z.boolean(),
  /** This flag and its repeats (a program started again and again): one flag, counted. */
  repeats: z.int().positive(),
  /** When the last repeat was received (null: no repeat). */
  lastAt: epochMsSchema.nullable(),
  reviews: z.array(flagReviewSchema),
});
export type TimelineEntry = z.infer<typeof timelineEntrySchema>;

/** About this many timeline entries come in a page (a page never splits one upload). */
export const TIMELINE_PAGE = 500;

/**
 * How far before the last `asOf` a dashboard asks again: an upload stamped just before a read
 * may commit just after it. Entries are merged by key, so the overlap costs nothing.
 */
export const TIMELINE_SINCE_MARGIN_MS = 10_000;

export const timelineQuerySchema = z.union([
  z.strictObject({
    /** What changed at or after this server time (an `asOf`, less a margin): to merge in. */
    since: z.coerce.number().int().min(0),
  }),
  z.strictObject({
    /** The page before this receivedAt (the first entry of the page shown). */
    before: z.coerce.number().int().min(0).optional(),
  }),
]);

export const timelinePageSchema = z.strictObject({
  entries: z.array(timelineEntrySchema),
  /** Older entries exist (ask with `before`). */
  more: z.boolean(),
  /** The server's clock when it read: the next `since`, less TIMELINE_SINCE_MARGIN_MS. */
  asOf: epochMsSchema,
});
export type TimelinePage = z.infer<typeof timelinePageSchema>;

export const reviewRequestSchema = z.strictObject({
  journalId: z.uuid(),
  seq: z.int().positive(),
  decision: z.enum(['dismiss', 'confirm', 'note']),
  comment: z.string().trim().min(1, 'a review needs a comment').max(2_000),
});

/** Several flags of one candidate reviewed at once, with one decision and one comment. */
export const reviewsRequestSchema = z.strictObject({
  flags: z
    .array(z.strictObject({ journalId: z.uuid(), seq: z.int().positive() }))
    .min(1)
    .max(200),
  decision: reviewRequestSchema.shape.decision,
  comment: reviewRequestSchema.shape.comment,
});

export const staffInstructionSchema = z.strictObject({
  kind: z.union([instructionKindSchema, z.literal('approve-device')]),
  minutes: addedMinutesSchema.optional(),
  /** For lock: what the candidate is told. */
  reason: lockReasonSchema.optional(),
  /** For message: what the candidate reads. */
  text: messageTextSchema.optional(),
  /** For approve-device: the journal waiting for approval. */
  journalId: z.uuid().optional(),
});

/** An admin's correction to a candidate on the day. */
export const candidateUpdateSchema = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  extraMinutes: z
    .int()
    .min(0)
    .max(24 * 60)
    .optional(),
});

/** At most this many new personal codes at once (each is hashed: about 30 ms of CPU). */
export const MAX_CODES = 1_000;

/** New personal codes, and slips to print, for these candidates or all of the exam. */
export const issueCodesSchema = z.strictObject({
  candidates: z.union([
    z.literal('all'),
    z.array(z.string().min(1).max(100)).min(1).max(MAX_CODES),
  ]),
});

export const signInSlipSchema = z.strictObject({
  candidateId: z.string(),
  candidateNumber: z.string(),
  name: z.string(),
  /** In clear text in this answer only: the server keeps its hash. */
  personalCode: z.string(),
});
export type SignInSlip = z.infer<typeof signInSlipSchema>;

/** At most this many candidates named in one room action (about 400 KB of ids). */
export const MAX_ROOM_CANDIDATES = 10_000;

/** One instruction for many candidates of an exam: those named, or every one. */
export const roomInstructionSchema = z.strictObject({
  candidates: z.union([
    z.literal('all'),
    z.array(z.string().min(1).max(100)).min(1).max(MAX_ROOM_CANDIDATES),
  ]),
  /** Starting despite the checks is decided one candidate at a time. */
  kind: instructionKindSchema.exclude(['approve-preflight']),
  minutes: addedMinutesSchema.optional(),
  reason: lockReasonSchema.optional(),
  text: messageTextSchema.optional(),
});

export const roomInstructionResultSchema = z.strictObject({
  /** How many candidates it was queued for. */
  sent: z.int().nonnegative(),
  /** Those it did not fit (handed in, already paused, not of this exam …), each with why. */
  refused: z.array(
    z.strictObject({ candidateId: z.string(), code: z.string(), message: z.string() }),
  ),
});
export type RoomInstructionResult = z.infer<typeof roomInstructionResultSchema>;

export const examUpdateSchema = z.strictObject({
  /** The title on the dashboard and in reports (the candidates' package keeps its own). */
  title: z.string().trim().min(1).max(200).optional(),
  window: z
    .strictObject({
      opensAt: z.iso.datetime({ offset: true }),
      closesAt: z.iso.datetime({ offset: true }),
    })
    .optional(),
  policy: z.record(z.string(), z.unknown()).optional(),
  /** Each candidate's time in minutes (before extra time): the policy's, until anyone signs in. */
  durationMinutes: z
    .int()
    .min(1)
    .max(24 * 60)
    .optional(),
  /** When the exam's candidates' data is deleted; null: the end of its school year. */
  retainUntil: epochMsSchema.nullable().optional(),
  /**
   * The grades are final: the raw monitoring events of candidates no legal hold keeps go at the
   * next retention run, ahead of the rest (docs/privacy.md). Cannot be taken back.
   */
  gradesFinal: z.literal(true).optional(),
});

/** An admin keeps an exam's (or one candidate's) data past its retention date, for a case. */
export const legalHoldRequestSchema = z.strictObject({
  examId: z.string().min(1).max(100),
  candidateId: z.string().min(1).max(100).nullable().default(null),
  reason: z.string().trim().min(1).max(500),
  reviewAt: epochMsSchema,
});

export const legalHoldSchema = z.strictObject({
  id: z.string(),
  examId: z.string(),
  candidateId: z.string().nullable(),
  reason: z.string(),
  reviewAt: epochMsSchema,
  openedBy: z.string(),
  openedAt: epochMsSchema,
  releasedBy: z.string().nullable(),
  releasedAt: epochMsSchema.nullable(),
});
export type LegalHoldView = z.infer<typeof legalHoldSchema>;

/** When an exam's data goes (docs/privacy.md), for the admins' privacy page. */
export const examRetentionSchema = z.strictObject({
  id: z.string(),
  code: z.string(),
  title: z.string(),
  closesAt: epochMsSchema,
  /** When its candidates' data is deleted: its own date, or the end of its school year. */
  retainUntil: epochMsSchema,
  /** Whether an admin set the date (else it is the end of the school year). */
  ownDate: z.boolean(),
  /** When an admin declared the grades final (its raw monitoring events go then), or null. */
  gradesFinalAt: epochMsSchema.nullable(),
  /** When a retention run emptied those events (all but what a legal hold keeps), or null. */
  monitoringRemovedAt: epochMsSchema.nullable(),
});
export type ExamRetentionView = z.infer<typeof examRetentionSchema>;

/** A hand-over not yet delivered downstream (waiting to retry, or given up on). */
export const pendingHandoverSchema = z.strictObject({
  id: z.string(),
  candidateId: z.string(),
  candidateNumber: z.string(),
  examId: z.string(),
  examCode: z.string(),
  createdAt: epochMsSchema,
  attempts: z.int(),
  nextAt: epochMsSchema,
  lastError: z.string().nullable(),
  deadAt: epochMsSchema.nullable(),
});

/** Why an admin gives up on a hand-over (kept in the audit log). */
export const abandonHandoverRequestSchema = z.strictObject({
  reason: z.string().trim().min(1).max(500),
});

/** Why an imported row was refused: the dashboard words each code in nb, nn and en. */
export const IMPORT_ROW_PROBLEMS = [
  'candidate-number',
  'name',
  'personal-code-long',
  'personal-code-short',
  'personal-code-digits',
  'personal-code-repeats',
  'personal-code-has-number',
  'extra-minutes',
  'already-in-exam',
] as const;
export type ImportRowProblem = (typeof IMPORT_ROW_PROBLEMS)[number];

export const importReportSchema = z.strictObject({
  imported: z.int(),
  errors: z.array(
    z.strictObject({
      line: z.int(),
      code: z.enum(IMPORT_ROW_PROBLEMS),
      /** The candidate number, for `already-in-exam`. */
      params: z.record(z.string(), z.string()),
      /** The same in English, for scripts and the CLI. */
      message: z.string(),
    }),
  ),
});
export type ImportReport = z.infer<typeof importReportSchema>;

export const instructionStatusSchema = z.strictObject({
  id: z.string(),
  kind: z.string(),
  minutes: z.int().nullable(),
  reason: z.string().nullable(),
  /** For a resume: the pause's length, given back to the candidate. */
  pausedMs: z.int().nonnegative().nullable(),
  /** For a message: what it says, and when the candidate said they read it. */
  text: z.string().nullable(),
  readAt: epochMsSchema.nullable(),
  sentAt: epochMsSchema,
  /** Null until the client journals it applied. */
  appliedAt: epochMsSchema.nullable(),
});
export type InstructionStatus = z.infer<typeof instructionStatusSchema>;

/** One candidate, as the candidate page shows them. */
export const candidateDetailSchema = z.strictObject({
  candidate: candidateRowSchema,
  instructions: z.array(instructionStatusSchema),
  /** The accepted submission and the receipt the candidate was given; null before one. */
  submission: z
    .strictObject({
      receivedAt: epochMsSchema,
      /** What the client sealed; the candidate's receipt shows it. */
      answersHash: z.string(),
      /** The server's own copy of the answers, hashed: differs only if something is wrong. */
      serverAnswersHash: z.string(),
      matches: z.boolean(),
    })
    .nullable(),
  /** Second devices waiting for an invigilator to approve them. */
  waitingDevices: z.array(
    z.strictObject({ journalId: z.string(), clientVersion: z.string(), since: epochMsSchema }),
  ),
});
export type CandidateDetail = z.infer<typeof candidateDetailSchema>;

/** One flag of an exam, with its candidate and newest review: a line of the incident report. */
export const incidentSchema = z.strictObject({
  ...eventFields,
  candidateId: z.string(),
  candidateNumber: z.string(),
  name: z.string(),
  review: flagReviewSchema.nullable(),
});
export type Incident = z.infer<typeof incidentSchema>;

/** The most candidates one live event names: a dashboard fetches each event's rows at once. */
export const LIVE_IDS_PER_EVENT = 100;

/**
 * What a dashboard hears about an exam: ids only. `candidates`: these rows changed (state,
 * counts, a new flag, a review), so fetch them; `resync`: events may have been missed (the
 * feed's database connection was lost and is back, an import), so reload what is shown.
 */
export type LiveEvent =
  | { type: 'candidates'; examId: string; candidateIds: string[] }
  | { type: 'resync'; examId: string };
