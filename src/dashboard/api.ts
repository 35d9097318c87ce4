import {
  STAFF_API_PREFIX,
  type CandidateDetail,
  type CandidateRow,
  type ImportReport,
  type Incident,
  type StaffRole,
  type StaffUser,
  type TimelineEntry,
} from '../common/staff-api';

/** An error the staff API answered, with its code for the words and its own message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Each thing wrong with a form or file, when the server listed them. */
    readonly problems: readonly string[] = [],
  ) {
    super(message);
  }
}

export interface ExamSummary {
  id: string;
  code: string;
  title: string;
  opensAt: number;
  closesAt: number;
}

/** A body sent as it is (a CSV file), rather than as JSON. */
class Raw {
  constructor(
    readonly contentType: string,
    readonly body: ArrayBuffer,
  ) {}
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  let response: Response;
  const headers: Record<string, string> =
    body === undefined
      ? {}
      : { 'content-type': body instanceof Raw ? body.contentType : 'application/json' };
  try {
    response = await fetch(`${STAFF_API_PREFIX}${path}`, {
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
    (T & { error?: { code: string; message: string; problems?: string[] } }) | null;
  if (!response.ok) {
    const error = json?.error;
    throw new ApiError(
      response.status,
      error?.code ?? 'failed',
      error?.message ?? `HTTP ${response.status}`,
      error?.problems ?? [],
    );
  }
  return json as T;
}

export type InstructionRequest =
  | { kind: 'lock'; reason?: string }
  | { kind: 'unlock' | 'allow-quit' | 'approve-preflight' }
  | { kind: 'add-time'; minutes: number }
  | { kind: 'approve-device'; journalId: string };

export type ReviewDecision = 'dismiss' | 'confirm' | 'note';

/** The staff API, typed from the schemas in src/common/staff-api.ts. */
export const api = {
  signIn: (email: string, password: string) =>
    call<{ user: StaffUser }>('POST', '/sign-in', { email, password }),
  signOut: () => call<unknown>('POST', '/sign-out'),
  me: () => call<{ user: StaffUser }>('GET', '/me'),
  exams: () => call<{ exams: ExamSummary[] }>('GET', '/exams'),
  candidates: (examId: string, ids?: readonly string[]) =>
    call<{ candidates: CandidateRow[] }>(
      'GET',
      `/exams/${encodeURIComponent(examId)}/candidates${ids ? `?ids=${ids.map(encodeURIComponent).join(',')}` : ''}`,
    ),
  candidate: (examId: string, candidateId: string) =>
    call<CandidateDetail>('GET', candidatePath(examId, candidateId)),
  timeline: (examId: string, candidateId: string) =>
    call<{ entries: TimelineEntry[] }>('GET', `${candidatePath(examId, candidateId)}/timeline`),
  review: (
    examId: string,
    candidateId: string,
    review: { journalId: string; seq: number; decision: ReviewDecision; comment: string },
  ) => call<unknown>('POST', `${candidatePath(examId, candidateId)}/reviews`, review),
  incidents: (examId: string) =>
    call<{ incidents: Incident[] }>('GET', `/exams/${encodeURIComponent(examId)}/incidents`),
  instruct: (examId: string, candidateId: string, instruction: InstructionRequest) =>
    call<unknown>('POST', `${candidatePath(examId, candidateId)}/instructions`, instruction),
  users: () => call<{ users: StaffUser[] }>('GET', '/users'),
  createUser: (user: { email: string; name: string; role: StaffRole; password: string }) =>
    call<{ user: StaffUser }>('POST', '/users', user),
  /** An exam file's JSON, as the admin chose it (the server checks every field). */
  createExam: (examFile: unknown) =>
    call<{ exam: { id: string; code: string; title: string } }>('POST', '/exams', examFile),
  /** The file's bytes as they are: the server checks they are UTF-8 (with or without BOM). */
  importCandidates: (examId: string, csv: ArrayBuffer) =>
    call<ImportReport>(
      'POST',
      `/exams/${encodeURIComponent(examId)}/candidates/import`,
      new Raw('text/csv', csv),
    ),
  invigilators: (examId: string) =>
    call<{ userIds: string[] }>('GET', `/exams/${encodeURIComponent(examId)}/invigilators`),
  setAssigned: (examId: string, userId: string, assigned: boolean) =>
    call<unknown>(
      assigned ? 'PUT' : 'DELETE',
      `/exams/${encodeURIComponent(examId)}/invigilators/${encodeURIComponent(userId)}`,
    ),
  audit: (limit: number) => call<{ entries: AuditEntry[] }>('GET', `/audit?limit=${limit}`),
  verifyAudit: () =>
    call<{
      verdict: { ok: true; entries: number; headHash: string } | { ok: false; problem: string };
    }>('GET', '/audit/verify'),
};

/** One line of the audit log, as the server stores it. */
export interface AuditEntry {
  seq: number;
  at: number;
  actor_email: string | null;
  address: string;
  action: string;
  target: string;
  outcome: string;
  detail: string;
}

function candidatePath(examId: string, candidateId: string): string {
  return `/exams/${encodeURIComponent(examId)}/candidates/${encodeURIComponent(candidateId)}`;
}

/** Where the browser downloads an exam's incident report (CSV). */
export function reportCsvUrl(examId: string): string {
  return `${STAFF_API_PREFIX}/exams/${encodeURIComponent(examId)}/report.csv`;
}

/** The exam's Server-Sent Events stream. */
export function liveUrl(examId: string): string {
  return `${STAFF_API_PREFIX}/exams/${encodeURIComponent(examId)}/events`;
}
