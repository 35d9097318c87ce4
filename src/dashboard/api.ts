import i18next from 'i18next';
import type { z } from 'zod';

import { STAFF_API_PREFIX } from '../common/staff-api';
import {
  STAFF_ROUTE_TABLE as ROUTES,
  type PathParams,
  type RouteAnswer,
  type RouteBody,
  type RouteQuery,
  type StaffRouteSpec,
} from '../common/staff-routes';

export type { AuditEntry, ExamSummary } from '../common/staff-routes';
export type { ROUTES };

/** An error the staff API answered, with its code for the words and its own message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Each thing wrong with a form or file, when the server listed them. */
    readonly problems: readonly string[] = [],
    /** What the words are filled with: a date, an address, the seconds to wait. */
    readonly params: Record<string, string | number> = {},
  ) {
    super(message);
  }
}

/** A body sent as it is (a CSV file), rather than as JSON. */
class Raw {
  constructor(
    readonly contentType: string,
    readonly body: ArrayBuffer,
  ) {}
}

/** What calling a route takes, from its contract: path parameters, query, body. */
type Args<S extends StaffRouteSpec> = (keyof PathParams<S['path']> extends never
  ? { params?: undefined }
  : { params: PathParams<S['path']> }) &
  (S extends { querystring: z.ZodType } ? { query?: RouteQuery<S> } : unknown) &
  (S extends { body: z.ZodType } ? { body: RouteBody<S> } : { body?: unknown });

/** `/exams/:examId` with its parameters filled in, each encoded. */
export function pathOf(path: string, params: Record<string, string> = {}): string {
  return path.replace(/:(\w+)/g, (_match, name: string) => encodeURIComponent(params[name] ?? ''));
}

/** Calls a staff route as its contract in src/common/staff-routes.ts types it. */
async function request<S extends StaffRouteSpec>(spec: S, args: Args<S>): Promise<RouteAnswer<S>> {
  const { params, query, body } = args as {
    params?: Record<string, string>;
    query?: Record<string, string | number | undefined>;
    body?: unknown;
  };
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {}))
    if (value !== undefined) search.set(name, String(value));
  const url = `${STAFF_API_PREFIX}${pathOf(spec.path, params)}${search.size > 0 ? `?${search.toString()}` : ''}`;
  return send<RouteAnswer<S>>(spec.method, url, body);
}

async function send<T>(method: string, url: string, body: unknown): Promise<T> {
  // The language chosen on the page, not the browser's: the server words problems in it.
  const headers: Record<string, string> = {
    'accept-language': i18next.language || 'en',
    ...(body === undefined
      ? {}
      : { 'content-type': body instanceof Raw ? body.contentType : 'application/json' }),
  };
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      credentials: 'same-origin',
      headers,
      ...(body === undefined
        ? {}
        : { body: body instanceof Raw ? body.body : JSON.stringify(body) }),
    });
  } catch {
    throw new ApiError(0, 'network', 'The exam server cannot be reached.');
  }
  const json = (await response.json().catch(() => null)) as
    | (T & {
        error?: {
          code: string;
          message: string;
          problems?: string[];
          params?: Record<string, string | number>;
        };
      })
    | null;
  if (!response.ok) {
    const error = json?.error;
    throw new ApiError(
      response.status,
      error?.code ?? 'failed',
      error?.message ?? `HTTP ${response.status}`,
      error?.problems ?? [],
      error?.params ?? {},
    );
  }
  return json as T;
}

export type InstructionRequest = RouteBody<typeof ROUTES.instruct>;
export type RoomInstructionRequest = RouteBody<typeof ROUTES.instructRoom>;
export type ReviewDecision = RouteBody<typeof ROUTES.review>['decision'];

type Exam = { examId: string };
type Candidate = { examId: string; candidateId: string };

/** The staff API, each call typed by its route's schemas. */
export const api = {
  // Sign-in is the one public route; it is not in the guarded table.
  signIn: (email: string, password: string) =>
    request(ROUTES.signIn, { body: { email, password } }),
  signOut: () => request(ROUTES.signOut, {}),
  me: () => request(ROUTES.me, {}),
  exams: () => request(ROUTES.exams, {}),
  candidates: (params: Exam, ids?: readonly string[]) =>
    request(ROUTES.candidates, { params, ...(ids ? { query: { ids: ids.join(',') } } : {}) }),
  candidate: (params: Candidate) => request(ROUTES.candidate, { params }),
  timeline: (params: Candidate, query?: RouteQuery<typeof ROUTES.timeline>) =>
    request(ROUTES.timeline, { params, ...(query ? { query } : {}) }),
  review: (params: Candidate, body: RouteBody<typeof ROUTES.review>) =>
    request(ROUTES.review, { params, body }),
  instruct: (params: Candidate, body: InstructionRequest) =>
    request(ROUTES.instruct, { params, body }),
  reviewMany: (params: Candidate, body: RouteBody<typeof ROUTES.reviewMany>) =>
    request(ROUTES.reviewMany, { params, body }),
  instructRoom: (params: Exam, body: RoomInstructionRequest) =>
    request(ROUTES.instructRoom, { params, body }),
  incidents: (params: Exam) => request(ROUTES.incidents, { params }),
  exportIncidents: (params: Exam) => request(ROUTES.exportIncidents, { params }),
  updateCandidate: (params: Candidate, body: RouteBody<typeof ROUTES.updateCandidate>) =>
    request(ROUTES.updateCandidate, { params, body }),
  removeCandidate: (params: Candidate) => request(ROUTES.removeCandidate, { params }),
  issueCodes: (params: Exam, body: RouteBody<typeof ROUTES.issueCodes>) =>
    request(ROUTES.issueCodes, { params, body }),
  updateUser: (params: { userId: string }, body: RouteBody<typeof ROUTES.updateUser>) =>
    request(ROUTES.updateUser, { params, body }),
  resetPassword: (params: { userId: string }, body: RouteBody<typeof ROUTES.resetPassword>) =>
    request(ROUTES.resetPassword, { params, body }),
  endSessions: (params: { userId: string }) => request(ROUTES.endSessions, { params }),
  users: () => request(ROUTES.users, {}),
  createUser: (body: RouteBody<typeof ROUTES.createUser>) => request(ROUTES.createUser, { body }),
  /** An exam file's JSON, as the admin chose it (the server checks every field). */
  createExam: (examFile: unknown) => request(ROUTES.createExam, { body: examFile }),
  /** The file's bytes as they are: the server checks they are UTF-8 (with or without BOM). */
  importCandidates: (params: Exam, csv: ArrayBuffer) =>
    request(ROUTES.importCandidates, { params, body: new Raw('text/csv', csv) }),
  invigilators: (params: Exam) => request(ROUTES.invigilators, { params }),
  /** A sealed hand-in file's bytes, opened by the server. */
  handIn: (params: Exam, file: ArrayBuffer) =>
    request(ROUTES.handIn, { params, body: new Raw('application/json', file) }),
  heldHandIns: (params: Exam) => request(ROUTES.heldHandIns, { params }),
  setAssigned: (params: Exam & { userId: string }, assigned: boolean) =>
    assigned ? request(ROUTES.assign, { params }) : request(ROUTES.unassign, { params }),
  updateExam: (params: Exam, body: RouteBody<typeof ROUTES.updateExam>) =>
    request(ROUTES.updateExam, { params, body }),
  retention: () => request(ROUTES.retention, {}),
  legalHolds: () => request(ROUTES.legalHolds, {}),
  openLegalHold: (body: RouteBody<typeof ROUTES.openLegalHold>) =>
    request(ROUTES.openLegalHold, { body }),
  releaseLegalHold: (holdId: string) => request(ROUTES.releaseLegalHold, { params: { holdId } }),
  handovers: () => request(ROUTES.pendingHandovers, {}),
  retryHandover: (handoverId: string) => request(ROUTES.retryHandover, { params: { handoverId } }),
  abandonHandover: (handoverId: string, reason: string) =>
    request(ROUTES.abandonHandover, { params: { handoverId }, body: { reason } }),
  audit: (limit: number) => request(ROUTES.audit, { query: { limit } }),
  verifyAudit: () => request(ROUTES.verifyAudit, {}),
};

/** Where the browser downloads an exam's incident report (CSV). */
export function reportCsvUrl(examId: string): string {
  return `${STAFF_API_PREFIX}${pathOf(ROUTES.reportCsv.path, { examId })}`;
}

/** Where an admin downloads everything held about one candidate (subject access, JSON). */
export function subjectAccessUrl(examId: string, candidateId: string): string {
  return `${STAFF_API_PREFIX}${pathOf(ROUTES.subjectAccess.path, { examId, candidateId })}`;
}

/** The exam's Server-Sent Events stream. */
export function liveUrl(examId: string): string {
  return `${STAFF_API_PREFIX}${pathOf(ROUTES.events.path, { examId })}`;
}
