import { z } from 'zod';

import { epochMsSchema } from './ids';
import { refusalSchema } from './refusals';
import {
  candidateDetailSchema,
  candidateListQuerySchema,
  candidateRowSchema,
  candidateUpdateSchema,
  issueCodesSchema,
  signInSlipSchema,
  examUpdateSchema,
  importReportSchema,
  incidentSchema,
  legalHoldRequestSchema,
  legalHoldSchema,
  pendingHandoverSchema,
  abandonHandoverRequestSchema,
  examRetentionSchema,
  newStaffUserSchema,
  reviewRequestSchema,
  reviewsRequestSchema,
  roomInstructionResultSchema,
  roomInstructionSchema,
  staffInstructionSchema,
  staffAccountSchema,
  staffPasswordSchema,
  staffSignInSchema,
  staffUpdateSchema,
  staffUserSchema,
  timelinePageSchema,
  timelineQuerySchema,
} from './staff-api';

/**
 * Every guarded staff route (`/api/v1/staff…`): method, path, request and response schemas.
 * The server registers its handlers against these (Fastify validates requests and serialises
 * answers through them), and the dashboard's API client is typed from them: one contract.
 */
export interface StaffRouteSpec {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Relative to /api/v1/staff; `:name` segments are path parameters. */
  path: string;
  body?: z.ZodType;
  querystring?: z.ZodType;
  /** The JSON answer (2xx); absent where the answer is not JSON (a CSV file, an event stream). */
  response?: z.ZodType;
}

export const examSummarySchema = z.strictObject({
  id: z.string(),
  code: z.string(),
  title: z.string(),
  opensAt: epochMsSchema,
  closesAt: epochMsSchema,
  /** How often its candidates' laptops send heartbeats: the dashboard's late and offline. */
  heartbeatIntervalMs: z.int().positive(),
  /** Each candidate's time in minutes, before extra time. */
  durationMinutes: z.int().positive(),
});
export type ExamSummary = z.infer<typeof examSummarySchema>;

/** One audit log entry, every column, so a copy can be verified elsewhere. */
export const auditEntrySchema = z.strictObject({
  id: z.string(),
  seq: z.int(),
  at: epochMsSchema,
  actor_id: z.string().nullable(),
  actor_email: z.string().nullable(),
  address: z.string(),
  action: z.string(),
  target: z.string(),
  outcome: z.string(),
  detail: z.string(),
  prev_hash: z.string(),
  hash: z.string(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const auditVerdictSchema = z.discriminatedUnion('ok', [
  z.strictObject({ ok: z.literal(true), entries: z.int(), headHash: z.string() }),
  z.strictObject({ ok: z.literal(false), seq: z.int(), problem: z.string() }),
]);

export const handInResultSchema = z.strictObject({
  journalId: z.string(),
  stored: z.int(),
  watermark: z.int(),
  refusal: refusalSchema.nullable(),
  held: z.strictObject({ id: z.string(), reason: z.string(), message: z.string() }).nullable(),
});

const heldHandInSchema = z.strictObject({
  id: z.string(),
  candidateNumber: z.string().nullable(),
  journalId: z.string(),
  reason: z.string(),
  records: z.int(),
  receivedAt: epochMsSchema,
});

const createdExamSchema = z.strictObject({
  exam: z.strictObject({ id: z.string(), code: z.string(), title: z.string() }),
});

export const STAFF_ROUTE_TABLE = {
  /** The one route open to anyone: rate-limited, and audited by itself. */
  signIn: {
    method: 'POST',
    path: '/sign-in',
    body: staffSignInSchema,
    response: z.strictObject({ user: staffUserSchema }),
  },
  signOut: {
    method: 'POST',
    path: '/sign-out',
    response: z.strictObject({ signedOut: z.boolean() }),
  },
  me: { method: 'GET', path: '/me', response: z.strictObject({ user: staffUserSchema }) },
  users: {
    method: 'GET',
    path: '/users',
    response: z.strictObject({ users: z.array(staffAccountSchema) }),
  },
  createUser: {
    method: 'POST',
    path: '/users',
    body: newStaffUserSchema,
    response: z.strictObject({ user: staffUserSchema }),
  },
  updateUser: {
    method: 'PATCH',
    path: '/users/:userId',
    body: staffUpdateSchema,
    response: z.strictObject({ user: staffAccountSchema }),
  },
  resetPassword: {
    method: 'POST',
    path: '/users/:userId/password',
    body: staffPasswordSchema,
    response: z.strictObject({ sessionsEnded: z.int() }),
  },
  endSessions: {
    method: 'POST',
    path: '/users/:userId/sign-out',
    response: z.strictObject({ sessionsEnded: z.int() }),
  },
  audit: {
    method: 'GET',
    path: '/audit',
    querystring: z.strictObject({
      limit: z.coerce.number().int().min(1).max(5_000).default(500),
    }),
    response: z.strictObject({ entries: z.array(auditEntrySchema) }),
  },
  verifyAudit: {
    method: 'GET',
    path: '/audit/verify',
    response: z.strictObject({ verdict: auditVerdictSchema }),
  },
  exams: {
    method: 'GET',
    path: '/exams',
    response: z.strictObject({ exams: z.array(examSummarySchema) }),
  },
  // The exam file is checked by parseExamFile, which lists every problem at once.
  createExam: { method: 'POST', path: '/exams', response: createdExamSchema },
  updateExam: {
    method: 'PATCH',
    path: '/exams/:examId',
    body: examUpdateSchema,
    response: z.strictObject({ updated: z.boolean() }),
  },
  invigilators: {
    method: 'GET',
    path: '/exams/:examId/invigilators',
    response: z.strictObject({ userIds: z.array(z.string()) }),
  },
  assign: {
    method: 'PUT',
    path: '/exams/:examId/invigilators/:userId',
    response: z.strictObject({ assigned: z.boolean() }),
  },
  unassign: {
    method: 'DELETE',
    path: '/exams/:examId/invigilators/:userId',
    response: z.strictObject({ assigned: z.boolean() }),
  },
  // The body is the CSV file itself (text/csv).
  importCandidates: {
    method: 'POST',
    path: '/exams/:examId/candidates/import',
    response: importReportSchema,
  },
  candidates: {
    method: 'GET',
    path: '/exams/:examId/candidates',
    querystring: candidateListQuerySchema,
    response: z.strictObject({ candidates: z.array(candidateRowSchema) }),
  },
  candidate: {
    method: 'GET',
    path: '/exams/:examId/candidates/:candidateId',
    response: candidateDetailSchema,
  },
  timeline: {
    method: 'GET',
    path: '/exams/:examId/candidates/:candidateId/timeline',
    querystring: timelineQuerySchema,
    response: timelinePageSchema,
  },
  review: {
    method: 'POST',
    path: '/exams/:examId/candidates/:candidateId/reviews',
    body: reviewRequestSchema,
    response: z.strictObject({ reviewed: z.boolean() }),
  },
  reviewMany: {
    method: 'POST',
    path: '/exams/:examId/candidates/:candidateId/reviews/batch',
    body: reviewsRequestSchema,
    response: z.strictObject({ reviewed: z.int() }),
  },
  instruct: {
    method: 'POST',
    path: '/exams/:examId/candidates/:candidateId/instructions',
    body: staffInstructionSchema,
    response: z.union([
      z.strictObject({ id: z.string() }),
      z.strictObject({ approved: z.string() }),
    ]),
  },
  updateCandidate: {
    method: 'PATCH',
    path: '/exams/:examId/candidates/:candidateId',
    body: candidateUpdateSchema,
    response: z.strictObject({ updated: z.boolean() }),
  },
  removeCandidate: {
    method: 'DELETE',
    path: '/exams/:examId/candidates/:candidateId',
    response: z.strictObject({ removed: z.boolean() }),
  },
  issueCodes: {
    method: 'POST',
    path: '/exams/:examId/codes',
    body: issueCodesSchema,
    response: z.strictObject({ slips: z.array(signInSlipSchema) }),
  },
  instructRoom: {
    method: 'POST',
    path: '/exams/:examId/instructions',
    body: roomInstructionSchema,
    response: roomInstructionResultSchema,
  },
  incidents: {
    method: 'GET',
    path: '/exams/:examId/incidents',
    response: z.strictObject({ incidents: z.array(incidentSchema) }),
  },
  /** The incidents again, for the spreadsheet the dashboard makes: audited as an export. */
  exportIncidents: {
    method: 'GET',
    path: '/exams/:examId/incidents/export',
    response: z.strictObject({ incidents: z.array(incidentSchema) }),
  },
  reportCsv: { method: 'GET', path: '/exams/:examId/report.csv' },
  // The body is the sealed hand-in file, opened off the event loop.
  handIn: { method: 'POST', path: '/exams/:examId/hand-in', response: handInResultSchema },
  heldHandIns: {
    method: 'GET',
    path: '/exams/:examId/hand-ins',
    response: z.strictObject({ held: z.array(heldHandInSchema) }),
  },
  events: { method: 'GET', path: '/exams/:examId/events' },
  retention: {
    method: 'GET',
    path: '/retention',
    response: z.strictObject({ exams: z.array(examRetentionSchema) }),
  },
  legalHolds: {
    method: 'GET',
    path: '/legal-holds',
    response: z.strictObject({ holds: z.array(legalHoldSchema) }),
  },
  openLegalHold: {
    method: 'POST',
    path: '/legal-holds',
    body: legalHoldRequestSchema,
    response: z.strictObject({ hold: legalHoldSchema }),
  },
  releaseLegalHold: {
    method: 'POST',
    path: '/legal-holds/:holdId/release',
    response: z.strictObject({ released: z.boolean() }),
  },
  // Everything held about one candidate (docs/privacy.md), as a JSON file to download.
  subjectAccess: {
    method: 'GET',
    path: '/exams/:examId/candidates/:candidateId/subject-access',
  },
  pendingHandovers: {
    method: 'GET',
    path: '/handovers',
    response: z.strictObject({ pending: z.array(pendingHandoverSchema) }),
  },
  retryHandover: {
    method: 'POST',
    path: '/handovers/:handoverId/retry',
    response: z.strictObject({ retried: z.literal(true) }),
  },
  abandonHandover: {
    method: 'POST',
    path: '/handovers/:handoverId/abandon',
    body: abandonHandoverRequestSchema,
    response: z.strictObject({ abandoned: z.literal(true) }),
  },
} as const satisfies Record<string, StaffRouteSpec>;

/** `{ examId: string }` for `/exams/:examId`. */
export type PathParams<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? { [K in Name]: string } & PathParams<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? { [K in Name]: string }
    : Record<never, never>;

type Schema<S, K extends string> = S extends { [key in K]: infer T extends z.ZodType } ? T : never;

/** What a route takes: its body and query as a caller writes them. */
export type RouteBody<S extends StaffRouteSpec> = z.input<Schema<S, 'body'>>;
export type RouteQuery<S extends StaffRouteSpec> = z.input<Schema<S, 'querystring'>>;
/** What the handler gets, after validation (defaults filled, text transformed). */
export type ParsedBody<S extends StaffRouteSpec> = S extends { body: z.ZodType }
  ? z.output<Schema<S, 'body'>>
  : unknown;
export type ParsedQuery<S extends StaffRouteSpec> = S extends { querystring: z.ZodType }
  ? z.output<Schema<S, 'querystring'>>
  : unknown;
/** What the route answers. */
export type RouteAnswer<S extends StaffRouteSpec> = S extends { response: z.ZodType }
  ? z.output<Schema<S, 'response'>>
  : unknown;
