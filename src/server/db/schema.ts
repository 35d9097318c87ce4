/**
 * The server's tables, identical on SQLite and PostgreSQL. Times are epoch milliseconds
 * (bigint on PostgreSQL, read back as numbers); booleans are 0/1 integers so both dialects
 * store them alike; JSON is canonical text.
 */
export interface Database {
  exams: {
    id: string;
    code: string;
    title: string;
    policy: string;
    content: string;
    opens_at: number;
    closes_at: number;
    created_at: number;
    /** The exam file's minClientVersion, if it names one. */
    min_client_version: string | null;
    /** When its candidates' data is deleted; null: the end of the school year it closes in. */
    retain_until: number | null;
    /** When an admin declared the grades final; its raw monitoring events go at the next run. */
    grades_final_at: number | null;
    /** When a retention run first emptied its raw monitoring events; null before. */
    monitoring_removed_at: number | null;
  };
  candidates: {
    id: string;
    exam_id: string;
    candidate_number: string;
    name: string;
    personal_code_hash: string;
    extra_minutes: number;
    /** Questions answered (common/answers.ts isAnswered), kept at ingest. */
    answered: number;
    /** A raised hand no invigilator has answered (hand.raised), and the candidate's words. */
    hand_raised_at: number | null;
    hand_text: string | null;
    /** When the exam started for them (exam.started, bounded by what the server saw). */
    started_at: number | null;
    /** The latest place.kept (JSON Place): the question shown and the review marks. */
    place: string | null;
  };
  sessions: {
    token_hash: string;
    candidate_id: string;
    journal_id: string;
    expires_at: number;
    created_at: number;
  };
  journals: {
    id: string;
    candidate_id: string;
    device_id_hash: string;
    client_version: string;
    /** active | awaiting-approval | superseded | halted */
    state: string;
    status: string | null;
    watermark: number;
    head_hash: string;
    last_seen_at: number;
    created_at: number;
    /** Ed25519 public key (hex) the client registered at sign-in; signs its hand-in files. */
    public_key: string | null;
    /** Payload bytes stored in records and in quarantine, against the quotas. */
    stored_bytes: number;
    quarantined_bytes: number;
    /** The newest seq the client said it holds (heartbeat): head − watermark waits to sync. */
    client_head_seq: number;
    /** windows | macos | linux | other, from sign-in; null for clients that did not say. */
    platform: string | null;
    /** The highest sync nonce ordinal issued to this journal (0 before the first). */
    nonce_ordinal: number;
    /** The ordinal of the last nonce the client returned (0 before the first)… */
    returned_ordinal: number;
    /** …and when the server issued it: later records cannot be older. */
    returned_issued_at: number | null;
    /** 1 for an approved second device until it journals `answers.seeded`. */
    needs_answers: number;
    /** For a superseded journal: its watermark when it was replaced (what counted). */
    replaced_after: number | null;
    /** The seq of its exam.started: flags before it were found before the exam began. */
    started_seq: number | null;
    /** While in the checks: what keeps the exam from starting (JSON PreflightBlocker[]). */
    preflight_blockers: string | null;
    /** The last heartbeat's battery: percent, and 1 while charging (null: not told). */
    battery_level: number | null;
    battery_charging: number | null;
    /** The last heartbeat's network type: wifi or wired (null: not told). */
    network: string | null;
  };
  records: {
    journal_id: string;
    seq: number;
    kind: string;
    client_at: number;
    mono: number;
    received_at: number;
    not_before: number | null;
    payload: string;
    prev: string;
    hash: string;
    /** low | medium | high, scored at ingest; null for records that are not flags. */
    severity: string | null;
    /** For a flag that repeats (a program started again): what repeats (its name). */
    group_key: string | null;
    /** A repeat of the unreviewed flag at this seq: counted with it, not on its own. */
    grouped_into: number | null;
  };
  quarantine: {
    id: string;
    journal_id: string;
    seq: number;
    reason: string;
    record: string;
    received_at: number;
  };
  answers: {
    candidate_id: string;
    question_id: string;
    value: string;
    journal_id: string;
    seq: number;
    saved_at: number;
    /** 1 when the value is an answer (isAnswered), 0 for a cleared one. */
    answered: number;
  };
  submissions: {
    journal_id: string;
    candidate_id: string;
    answers_hash: string;
    server_answers_hash: string;
    head_seq: number;
    matches: number;
    received_at: number;
  };
  instructions: {
    id: string;
    candidate_id: string;
    kind: string;
    minutes: number | null;
    created_at: number;
    applied_at: number | null;
    /** Per candidate, in the order given (ties of created_at). */
    ordinal: number;
    /** For lock: what the candidate is told. */
    reason: string | null;
    /** For resume: the pause's length on the server's clock, given back to the candidate. */
    paused_ms: number | null;
    /** For resume: the pause it ends (unique: a pause is given back once). */
    resumes: string | null;
    /** For a message: what the invigilator wrote. */
    text: string | null;
    /** For a message: when the candidate said they read it (their journal's message.read). */
    read_at: number | null;
  };
  staff_users: {
    id: string;
    email: string;
    name: string;
    /** admin | invigilator */
    role: string;
    password_hash: string;
    created_at: number;
    /** When an admin disabled the account (no sign-in, no session); null while it may work. */
    disabled_at: number | null;
  };
  staff_sessions: {
    token_hash: string;
    user_id: string;
    expires_at: number;
    created_at: number;
  };
  assignments: {
    user_id: string;
    exam_id: string;
  };
  /** Password attempts per key (throttle.ts). */
  attempt_throttle: {
    key: string;
    failures: number;
    /** No attempt on this key before this time. */
    next_at: number;
    updated_at: number;
  };
  /** Append-only (triggers refuse UPDATE and DELETE) and hash-chained (repositories/audit.ts). */
  audit_log: {
    id: string;
    /** From 1, one per entry, in the order appended. */
    seq: number;
    at: number;
    actor_id: string | null;
    actor_email: string | null;
    address: string;
    action: string;
    target: string;
    /** ok | denied | failed */
    outcome: string;
    detail: string;
    prev_hash: string;
    hash: string;
  };
  /** One row (id 1): the newest audit entry, locked by each append. */
  audit_head: {
    id: number;
    seq: number;
    hash: string;
  };
  /** What the server itself flags: late or post-submission answers, quarantined records. */
  server_flags: {
    id: string;
    candidate_id: string;
    journal_id: string | null;
    seq: number | null;
    kind: string;
    /** low | medium | high */
    severity: string;
    detail: string;
    at: number;
  };
  /** Hand-in files that could not prove whose they are: kept for an invigilator to decide. */
  hand_ins: {
    id: string;
    exam_id: string;
    candidate_id: string | null;
    journal_id: string;
    reason: string;
    record_count: number;
    /** Canonical JSON of the opened hand-in content. */
    content: string;
    uploaded_by: string;
    received_at: number;
  };
  flag_reviews: {
    id: string;
    journal_id: string;
    seq: number;
    /** dismiss | confirm | note */
    decision: string;
    comment: string;
    reviewer_id: string;
    at: number;
  };
  /** Data an admin keeps past its retention date for a case (retention.ts skips it). */
  legal_holds: {
    id: string;
    exam_id: string;
    /** One candidate; null holds the whole exam. */
    candidate_id: string | null;
    reason: string;
    /** When an admin must look at the hold again. */
    review_at: number;
    opened_by: string;
    opened_at: number;
    released_by: string | null;
    released_at: number | null;
  };
  /** The hand-over outbox: one signed webhook per accepted submission, until delivered. */
  handovers: {
    /** The webhook-id: the receiver's idempotency key. */
    id: string;
    candidate_id: string;
    journal_id: string;
    /** The body sent, canonical JSON (privacy/handover.ts builds it). */
    payload: string;
    created_at: number;
    attempts: number;
    next_at: number;
    last_error: string | null;
    delivered_at: number | null;
    /** Given up on (dead-lettered): an admin must look. */
    dead_at: number | null;
    /** An admin sent it again: the give-up clock starts here instead of at created_at. */
    retried_at: number | null;
    /** An admin gave up on it (delivered another way): never sent, retention no longer waits. */
    abandoned_at: number | null;
  };
  /** Organisations that may receive research exports, each under a data-processing agreement. */
  research_recipients: {
    id: string;
    name: string;
    /** The data-processing agreement's reference. */
    dpa_reference: string;
    registered_by: string;
    registered_at: number;
  };
}
