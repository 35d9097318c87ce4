import {
  STAFF_API_PREFIX,
  type CandidateDetail,
  type CandidateRow,
  type Incident,
  type StaffUser,
  type TimelineEntry,
} from '../common/staff-api';

/** An error the staff API answered, with its code for the words and its own message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
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

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`${STAFF_API_PREFIX}${path}`, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch {
    throw new ApiError(0, 'network', 'The exam server cannot be reached.');
  }
  const json = (await response.json().catch(() => null)) as
    (T & { error?: { code: string; message: string } }) | null;
  if (!response.ok) {
    const error = json?.error;
    throw new ApiError(
      response.status,
      error?.code ?? 'failed',
      error?.message ?? `HTTP ${response.status}`,
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
};

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
