import type { Database } from '../db/schema';

/**
 * The data map: every column of the server's schema, classified. TypeScript refuses a table or
 * column of `Database` the map leaves out, and data-map.test.ts refuses a column of the live
 * schema (SQLite and PostgreSQL, after every migration) the map does not name. docs/privacy.md
 * carries the table rendered from it (`npm run privacy:doc`).
 */

/** What a column holds. */
export type DataCategory =
  /** Who a candidate is: name, candidate number. */
  | 'identity'
  /** Secrets, stored only as hashes: personal codes, passwords, session tokens. */
  | 'credential'
  /** What a candidate wrote, and the receipt of it. */
  | 'answers'
  /** The candidate's exam log: every record the client journaled (answers and monitoring events). */
  | 'exam-log'
  /** The candidate's laptop: a hash of its device id, client version, OS, its signing key. */
  | 'device'
  /** What staff did about a candidate: flags, reviews, instructions, hand-in files. */
  | 'oversight'
  /** Staff members: accounts, sessions, assignments. */
  | 'staff'
  /** The append-only audit log of administrative actions. */
  | 'audit'
  /** Not personal data: the exam itself, counters, chain bookkeeping. */
  | 'not-personal';

/** When a column's data is deleted. */
export type RetentionRule =
  /** With the candidate, at the exam's retention date (end of its school year), unless held. */
  | 'exam-retention'
  /** At the exam's retention date, or sooner: when the session expires. */
  | 'session-expiry'
  /** While the staff account exists; deleted with it. */
  | 'staff-account'
  /** Kept for the audit log's own period; never edited (append-only). */
  | 'audit-log'
  /** A short window (minutes); overwritten as it goes. */
  | 'throttle-window'
  /** As long as the exam exists; holds nothing personal. */
  | 'exam-lifetime';

export type Viewer = 'candidate' | 'invigilator' | 'admin';

/** What a pseudonymised research export does with a column. */
export type ResearchTreatment = 'drop' | 'pseudonymise' | 'keep' | 'generalise';

export interface ColumnUse {
  category: DataCategory;
  /** Why it is kept, in a few words. */
  purpose: string;
  retention: RetentionRule;
  /** Who may see it (the server itself always may). */
  seenBy: readonly Viewer[];
  /** Included in a candidate's subject access export. */
  subjectAccess: boolean;
  research: ResearchTreatment;
  /** Sent to the downstream system on hand-in. */
  downstream: boolean;
}

type DataMap = { [T in keyof Database]: { [C in keyof Database[T]]-?: ColumnUse } };

const ALL: readonly Viewer[] = ['candidate', 'invigilator', 'admin'];
const STAFF: readonly Viewer[] = ['invigilator', 'admin'];
const ADMIN: readonly Viewer[] = ['admin'];
const NOBODY: readonly Viewer[] = [];

/** A column of the candidate's data, deleted at the exam's retention date. */
function candidate(
  category: DataCategory,
  purpose: string,
  more: Partial<ColumnUse> = {},
): ColumnUse {
  return {
    category,
    purpose,
    retention: 'exam-retention',
    seenBy: STAFF,
    subjectAccess: true,
    research: 'drop',
    downstream: false,
    ...more,
  };
}

/** Bookkeeping with nothing personal in it. */
function plain(purpose: string, retention: RetentionRule = 'exam-retention'): ColumnUse {
  return {
    category: 'not-personal',
    purpose,
    retention,
    seenBy: NOBODY,
    subjectAccess: false,
    research: 'drop',
    downstream: false,
  };
}

function staffColumn(purpose: string, more: Partial<ColumnUse> = {}): ColumnUse {
  return {
    category: 'staff',
    purpose,
    retention: 'staff-account',
    seenBy: ADMIN,
    subjectAccess: false,
    research: 'drop',
    downstream: false,
    ...more,
  };
}

const examColumn = (purpose: string) => ({
  ...plain(purpose, 'exam-lifetime'),
  seenBy: ALL,
  research: 'keep' as const,
});
const secret = (purpose: string, retention: RetentionRule = 'exam-retention'): ColumnUse => ({
  ...candidate('credential', purpose, { retention, seenBy: NOBODY, subjectAccess: false }),
});
const key = (purpose: string) => candidate('not-personal', purpose, { subjectAccess: true });

export const DATA_MAP: DataMap = {
  exams: {
    id: { ...examColumn('the exam'), research: 'keep' },
    code: examColumn('candidates type it to sign in'),
    title: examColumn('shown to everyone'),
    policy: examColumn('what the client monitors and allows'),
    content: examColumn('the questions'),
    opens_at: examColumn('when candidates may start'),
    closes_at: examColumn('the deadline'),
    created_at: plain('bookkeeping', 'exam-lifetime'),
    min_client_version: plain('refuse outdated clients', 'exam-lifetime'),
    retain_until: {
      ...plain('when its candidates’ data is deleted', 'exam-lifetime'),
      seenBy: ADMIN,
    },
    grades_final_at: {
      ...plain('when its raw monitoring events are deleted', 'exam-lifetime'),
      seenBy: ADMIN,
    },
    monitoring_removed_at: {
      ...plain('when a retention run emptied them', 'exam-lifetime'),
      seenBy: ADMIN,
    },
  },
  candidates: {
    id: { ...key('links a candidate’s data'), research: 'pseudonymise' },
    exam_id: key('which exam'),
    candidate_number: candidate('identity', 'the school’s number for the candidate', {
      seenBy: ALL,
      downstream: true,
    }),
    name: candidate(
      'identity',
      'invigilators recognise the candidate; on their own exam screen too',
      {
        seenBy: ALL,
        downstream: true,
      },
    ),
    personal_code_hash: secret('checks the candidate’s personal code at sign-in'),
    extra_minutes: candidate('answers', 'accommodation: extra time', {
      seenBy: ALL,
      research: 'generalise',
    }),
    // Derived from the answers (exported themselves), for the invigilator's row.
    answered: candidate('answers', 'how many questions have an answer', { subjectAccess: false }),
    hand_raised_at: candidate('oversight', 'a raised hand no invigilator has answered yet'),
    hand_text: candidate('oversight', 'what the candidate wrote when raising a hand'),
    started_at: candidate('oversight', 'when the exam started: the end time invigilators see'),
    place: candidate(
      'answers',
      'the question shown and the review marks: a second laptop starts there',
      {
        seenBy: NOBODY,
      },
    ),
  },
  sessions: {
    token_hash: secret('checks the client’s session token', 'session-expiry'),
    candidate_id: { ...key('whose session'), retention: 'session-expiry', subjectAccess: false },
    journal_id: { ...key('which laptop'), retention: 'session-expiry', subjectAccess: false },
    expires_at: { ...plain('ends the session', 'session-expiry') },
    created_at: candidate('device', 'when the candidate signed in', {
      retention: 'session-expiry',
    }),
  },
  journals: {
    id: key('one laptop’s journal'),
    candidate_id: key('whose journal'),
    device_id_hash: candidate('device', 'recognises the same laptop again; a hash, not the id', {
      seenBy: NOBODY,
    }),
    client_version: candidate('device', 'support and minimum versions', { research: 'keep' }),
    state: candidate('oversight', 'active, waiting for approval, replaced or halted'),
    status: candidate('oversight', 'what the client last said it was doing'),
    watermark: plain('sync: the newest record stored'),
    head_hash: plain('sync: the chain’s newest hash'),
    last_seen_at: candidate('device', 'invigilators see who is connected'),
    created_at: candidate('device', 'when the laptop first signed in'),
    public_key: candidate('device', 'verifies the laptop’s hand-in files', { seenBy: NOBODY }),
    stored_bytes: plain('quota'),
    quarantined_bytes: plain('quota'),
    client_head_seq: plain('sync: how much waits to upload'),
    platform: candidate('device', 'support: which OS', { research: 'keep' }),
    nonce_ordinal: plain('sync: how many nonces were issued'),
    returned_ordinal: plain('sync: the last nonce returned'),
    returned_issued_at: plain('bounds the client’s clock'),
    needs_answers: plain('sync: a second laptop still to start from the answers'),
    replaced_after: plain('sync: where a replaced laptop’s records stopped counting'),
    started_seq: plain('where the exam began in the journal: earlier flags are before the start'),
    battery_level: candidate('device', 'invigilators see a laptop about to run out of power'),
    battery_charging: candidate('device', 'invigilators see whether it is plugged in'),
    network: candidate('device', 'support: Wi-Fi or wired (no network names or addresses)'),
    // Emptied at the start, and with the monitoring payloads when the grades are final.
    preflight_blockers: candidate(
      'exam-log',
      'what keeps the candidate in the checks (programs to close, displays), until the start',
    ),
  },
  records: {
    journal_id: key('which journal'),
    seq: key('order in the journal'),
    kind: candidate('exam-log', 'what happened (answer saved, program started, focus lost …)', {
      research: 'keep',
    }),
    client_at: candidate('exam-log', 'when, by the laptop’s clock', { research: 'generalise' }),
    mono: plain('order by the laptop’s monotonic clock'),
    received_at: candidate('exam-log', 'when the server got it'),
    not_before: plain('the earliest time a nonce allows'),
    payload: candidate('exam-log', 'the event: an answer, or the program/focus/display seen'),
    prev: plain('hash chain'),
    hash: plain('hash chain'),
    severity: candidate('oversight', 'how much a flag matters', { research: 'keep' }),
    // Emptied with the payload when the grades are final (grades-final.ts).
    group_key: candidate('exam-log', 'the program a repeated flag is about'),
    grouped_into: plain('the first of a repeated flag'),
  },
  quarantine: {
    id: key('one held record'),
    journal_id: key('which journal'),
    seq: key('which record'),
    reason: candidate('oversight', 'why it was not applied'),
    record: candidate('exam-log', 'the record as it arrived, kept as evidence'),
    received_at: candidate('exam-log', 'when it arrived'),
  },
  answers: {
    candidate_id: key('whose answer'),
    question_id: { ...key('which question'), research: 'keep' },
    value: candidate('answers', 'the answer, for grading', {
      research: 'keep',
      downstream: true,
    }),
    journal_id: key('from which laptop'),
    seq: key('from which record'),
    saved_at: candidate('answers', 'when it was saved', { research: 'generalise' }),
    answered: candidate('answers', 'whether the value is an answer', { subjectAccess: false }),
  },
  submissions: {
    journal_id: key('from which laptop'),
    candidate_id: key('whose submission'),
    answers_hash: candidate('answers', 'the receipt the candidate holds', { downstream: true }),
    server_answers_hash: candidate('answers', 'what the server holds, to compare'),
    head_seq: plain('the journal’s end at hand-in'),
    matches: candidate('oversight', 'whether client and server agree'),
    received_at: candidate('answers', 'when the candidate handed in', { downstream: true }),
  },
  instructions: {
    id: key('one instruction'),
    candidate_id: key('for whom'),
    kind: candidate('oversight', 'lock, pause, add time, allow quit …'),
    minutes: candidate('oversight', 'time added'),
    paused_ms: candidate('oversight', 'how long a pause took: time given back'),
    resumes: plain('which pause a resume ends'),
    text: candidate('oversight', 'a message the invigilator wrote to the candidate', {
      seenBy: ALL,
    }),
    read_at: candidate('oversight', 'when the candidate said they read the message'),
    created_at: candidate('oversight', 'when it was given'),
    applied_at: candidate('oversight', 'when the laptop applied it'),
    ordinal: plain('order per candidate'),
    reason: candidate('oversight', 'what the candidate is told when locked', { seenBy: ALL }),
  },
  staff_users: {
    id: staffColumn('the account'),
    email: staffColumn('signs in; named in the audit log'),
    name: staffColumn('shown to other staff'),
    role: staffColumn('admin or invigilator'),
    password_hash: {
      ...staffColumn('checks the password'),
      category: 'credential',
      seenBy: NOBODY,
    },
    created_at: staffColumn('bookkeeping'),
    disabled_at: staffColumn('when an admin cut the account off'),
  },
  staff_sessions: {
    token_hash: {
      ...staffColumn('checks the session cookie'),
      category: 'credential',
      seenBy: NOBODY,
    },
    user_id: staffColumn('whose session'),
    expires_at: staffColumn('ends the session'),
    created_at: staffColumn('when they signed in'),
  },
  assignments: {
    user_id: staffColumn('which invigilator'),
    exam_id: staffColumn('which exam they may see'),
  },
  attempt_throttle: {
    key: {
      ...plain('slows password guessing: a hash of the account or address', 'throttle-window'),
      category: 'credential',
    },
    failures: plain('failed attempts', 'throttle-window'),
    next_at: plain('no attempt before', 'throttle-window'),
    updated_at: plain('bookkeeping', 'throttle-window'),
  },
  audit_log: {
    id: { ...plain('one entry', 'audit-log'), category: 'audit', seenBy: ADMIN },
    seq: { ...plain('order', 'audit-log'), category: 'audit', seenBy: ADMIN },
    at: { ...plain('when', 'audit-log'), category: 'audit', seenBy: ADMIN },
    actor_id: { ...staffColumn('who acted'), category: 'audit', retention: 'audit-log' },
    actor_email: { ...staffColumn('who acted'), category: 'audit', retention: 'audit-log' },
    address: {
      ...staffColumn('from where (IP address)'),
      category: 'audit',
      retention: 'audit-log',
    },
    action: { ...plain('what was done', 'audit-log'), category: 'audit', seenBy: ADMIN },
    target: {
      ...plain('on what: a path with ids, never a name', 'audit-log'),
      category: 'audit',
      seenBy: ADMIN,
    },
    outcome: { ...plain('ok, denied or failed', 'audit-log'), category: 'audit', seenBy: ADMIN },
    detail: {
      ...plain('counts and reasons, never answers', 'audit-log'),
      category: 'audit',
      seenBy: ADMIN,
    },
    prev_hash: plain('hash chain', 'audit-log'),
    hash: plain('hash chain', 'audit-log'),
  },
  audit_head: {
    id: plain('the one row', 'audit-log'),
    seq: plain('the newest entry', 'audit-log'),
    hash: plain('the newest hash', 'audit-log'),
  },
  server_flags: {
    id: key('one flag'),
    candidate_id: key('about whom'),
    journal_id: key('which laptop'),
    seq: key('which record'),
    kind: candidate('oversight', 'late answer, answer after hand-in, held record …', {
      research: 'keep',
    }),
    severity: candidate('oversight', 'how much it matters', { research: 'keep' }),
    detail: candidate('oversight', 'what the server saw'),
    at: candidate('oversight', 'when'),
  },
  hand_ins: {
    id: key('one hand-in file'),
    exam_id: key('which exam'),
    candidate_id: key('whose (when it proved it)'),
    journal_id: key('which laptop'),
    reason: candidate('oversight', 'why it is held for an invigilator'),
    record_count: plain('size'),
    content: candidate('exam-log', 'the journal the file carried'),
    uploaded_by: { ...staffColumn('which staff member uploaded it'), retention: 'exam-retention' },
    received_at: candidate('oversight', 'when it was uploaded'),
  },
  flag_reviews: {
    id: key('one review'),
    journal_id: key('which laptop'),
    seq: key('which flag'),
    decision: candidate('oversight', 'dismissed, confirmed or noted'),
    comment: candidate('oversight', 'the reviewer’s words'),
    reviewer_id: {
      ...staffColumn('who reviewed'),
      retention: 'exam-retention',
      subjectAccess: true,
    },
    at: candidate('oversight', 'when'),
  },
  legal_holds: {
    id: { ...plain('one hold', 'audit-log'), seenBy: ADMIN },
    exam_id: { ...plain('which exam', 'audit-log'), seenBy: ADMIN },
    candidate_id: { ...plain('which candidate (or the whole exam)', 'audit-log'), seenBy: ADMIN },
    reason: { ...staffColumn('why the data must be kept (a case)'), retention: 'audit-log' },
    review_at: { ...plain('when an admin must look at it again', 'audit-log'), seenBy: ADMIN },
    opened_by: { ...staffColumn('who opened it'), retention: 'audit-log' },
    opened_at: { ...plain('when', 'audit-log'), seenBy: ADMIN },
    released_by: { ...staffColumn('who released it'), retention: 'audit-log' },
    released_at: { ...plain('when', 'audit-log'), seenBy: ADMIN },
  },
  handovers: {
    id: { ...key('the webhook id'), subjectAccess: true },
    candidate_id: key('whose submission'),
    journal_id: key('which laptop handed in'),
    payload: candidate('answers', 'what is sent downstream: candidate, submission, answers', {
      seenBy: NOBODY,
      downstream: true,
    }),
    created_at: candidate('answers', 'when the hand-over was queued'),
    attempts: { ...plain('delivery attempts'), seenBy: ADMIN },
    next_at: plain('next attempt'),
    last_error: { ...plain('why the last attempt failed'), seenBy: ADMIN },
    delivered_at: { ...candidate('answers', 'when the downstream system took it'), seenBy: ADMIN },
    dead_at: { ...plain('given up: an admin must look'), seenBy: ADMIN },
    retried_at: { ...plain('an admin sent it again'), seenBy: ADMIN },
    abandoned_at: { ...plain('an admin gave up on it: delivered another way'), seenBy: ADMIN },
  },
  research_recipients: {
    id: { ...plain('one recipient', 'exam-lifetime'), seenBy: ADMIN },
    name: { ...plain('the organisation', 'exam-lifetime'), seenBy: ADMIN },
    dpa_reference: { ...plain('its data-processing agreement', 'exam-lifetime'), seenBy: ADMIN },
    registered_by: { ...staffColumn('who registered it'), retention: 'audit-log' },
    registered_at: { ...plain('when', 'exam-lifetime'), seenBy: ADMIN },
  },
};

/** Every `table.column` the map classifies. */
export function mappedColumns(): string[] {
  return Object.entries(DATA_MAP).flatMap(([table, columns]) =>
    Object.keys(columns).map((column) => `${table}.${column}`),
  );
}
