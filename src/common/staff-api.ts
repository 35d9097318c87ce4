import { z } from 'zod';

import { addedMinutesSchema, instructionKindSchema } from './events';
import { epochMsSchema } from './ids';

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
  'offline',
  'submitting',
  'submitted',
] as const;
export const candidateStateSchema = z.enum(CANDIDATE_STATES);
export type CandidateState = z.infer<typeof candidateStateSchema>;

export const SEVERITIES = ['info', 'low', 'medium', 'high'] as const;
export const severitySchema = z.enum(SEVERITIES);
export type Severity = z.infer<typeof severitySchema>;

export const candidateRowSchema = z.strictObject({
  id: z.string(),
  candidateNumber: z.string(),
  name: z.string(),
  extraMinutes: z.int(),
  state: candidateStateSchema,
  lastSeenAt: epochMsSchema.nullable(),
  clientVersion: z.string().nullable(),
  watermark: z.int(),
  flags: z.strictObject({ low: z.int(), medium: z.int(), high: z.int() }),
});
export type CandidateRow = z.infer<typeof candidateRowSchema>;

export const timelineEntrySchema = z.strictObject({
  journalId: z.string(),
  seq: z.int(),
  kind: z.string(),
  severity: severitySchema,
  payload: z.unknown(),
  clientAt: epochMsSchema,
  notBefore: epochMsSchema.nullable(),
  receivedAt: epochMsSchema,
  /** The client's clock fell outside [notBefore, receivedAt]: shown, not judged. */
  clockSuspect: z.boolean(),
  reviews: z.array(
    z.strictObject({
      decision: z.string(),
      comment: z.string(),
      reviewer: z.string(),
      at: epochMsSchema,
    }),
  ),
});
export type TimelineEntry = z.infer<typeof timelineEntrySchema>;

export const reviewRequestSchema = z.strictObject({
  journalId: z.uuid(),
  seq: z.int().positive(),
  decision: z.enum(['dismiss', 'confirm', 'note']),
  comment: z.string().trim().min(1, 'a review needs a comment').max(2_000),
});

export const staffInstructionSchema = z.strictObject({
  kind: z.union([instructionKindSchema, z.literal('approve-device')]),
  minutes: addedMinutesSchema.optional(),
  /** For approve-device: the journal waiting for approval. */
  journalId: z.uuid().optional(),
});

export const examUpdateSchema = z.strictObject({
  window: z
    .strictObject({
      opensAt: z.iso.datetime({ offset: true }),
      closesAt: z.iso.datetime({ offset: true }),
    })
    .optional(),
  policy: z.record(z.string(), z.unknown()).optional(),
});

export const importReportSchema = z.strictObject({
  imported: z.int(),
  errors: z.array(z.strictObject({ line: z.int(), message: z.string() })),
});
export type ImportReport = z.infer<typeof importReportSchema>;
