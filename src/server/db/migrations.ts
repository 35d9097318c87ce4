import { sql, SqliteAdapter, type Kysely } from 'kysely';
import type { Migration, MigrationProvider } from 'kysely/migration';

/**
 * Migrations in code, one set for both dialects. Add a new entry for every change; never edit
 * one that has shipped, and never import live code into one (a migration must do tomorrow what
 * it did the day it shipped): the values it needs are written into it.
 *
 * `0001-schema` is the schema as Vakt 0.1.0 ships it, squashed from the migrations of the
 * development versions before it (none shipped). A database made by one of those is refused
 * with a message saying so (database.ts).
 */
const migrations: Record<string, Migration> = {
  '0001-schema': {
    async up(db: Kysely<unknown>) {
      const ms = 'bigint' as const;
      await db.schema
        .createTable('exams')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('code', 'text', (c) => c.notNull().unique())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('policy', 'text', (c) => c.notNull())
        .addColumn('content', 'text', (c) => c.notNull())
        .addColumn('opens_at', ms, (c) => c.notNull())
        .addColumn('closes_at', ms, (c) => c.notNull())
        .addColumn('created_at', ms, (c) => c.notNull())
        // Older clients are refused for this exam (client-too-old).
        .addColumn('min_client_version', 'text')
        // Retention: its own date (null: the end of its school year).
        .addColumn('retain_until', ms)
        // Grades final: its raw monitoring events go at the next retention run…
        .addColumn('grades_final_at', ms)
        // …and when a run did so, which the data protection page says.
        .addColumn('monitoring_removed_at', ms)
        .execute();
      await db.schema
        .createTable('candidates')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('exam_id', 'text', (c) => c.notNull().references('exams.id'))
        .addColumn('candidate_number', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('personal_code_hash', 'text', (c) => c.notNull())
        .addColumn('extra_minutes', 'integer', (c) => c.notNull().defaultTo(0))
        // Questions answered, kept at ingest (the dashboard reads it, never counts).
        .addColumn('answered', 'integer', (c) => c.notNull().defaultTo(0))
        .addUniqueConstraint('candidates_exam_number', ['exam_id', 'candidate_number'])
        .execute();
      await db.schema
        .createTable('journals')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('candidate_id', 'text', (c) => c.notNull().references('candidates.id'))
        .addColumn('device_id_hash', 'text', (c) => c.notNull())
        .addColumn('client_version', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('status', 'text')
        .addColumn('watermark', 'integer', (c) => c.notNull())
        .addColumn('head_hash', 'text', (c) => c.notNull())
        .addColumn('last_seen_at', ms, (c) => c.notNull())
        .addColumn('created_at', ms, (c) => c.notNull())
        // The Ed25519 key the client registered; hand-in files must be signed by it.
        .addColumn('public_key', 'text')
        // Bytes stored per journal, for the quotas (sync/quotas.ts).
        .addColumn('stored_bytes', ms, (c) => c.notNull().defaultTo(0))
        .addColumn('quarantined_bytes', ms, (c) => c.notNull().defaultTo(0))
        // The client's own head from its heartbeat: changes waiting to sync.
        .addColumn('client_head_seq', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('platform', 'text')
        // Sync nonces (sync/nonces.ts): the highest issued, the last returned and its time.
        .addColumn('nonce_ordinal', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('returned_ordinal', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('returned_issued_at', ms)
        // A device switch: a second device starts from the candidate's answers until it
        // journals that it did; a replaced one is told where its records stopped counting.
        .addColumn('needs_answers', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('replaced_after', 'integer')
        .execute();
      await db.schema
        .createIndex('journals_candidate')
        .on('journals')
        .column('candidate_id')
        .execute();
      // At most one active journal per candidate, even for two sign-ins in the same instant.
      await db.schema
        .createIndex('journals_one_active')
        .on('journals')
        .column('candidate_id')
        .unique()
        .where(sql.ref('state'), '=', 'active')
        .execute();
      await db.schema
        .createTable('sessions')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('candidate_id', 'text', (c) => c.notNull().references('candidates.id'))
        .addColumn('journal_id', 'text', (c) => c.notNull().references('journals.id'))
        .addColumn('expires_at', ms, (c) => c.notNull())
        .addColumn('created_at', ms, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('records')
        .addColumn('journal_id', 'text', (c) => c.notNull().references('journals.id'))
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('client_at', ms, (c) => c.notNull())
        .addColumn('mono', ms, (c) => c.notNull())
        .addColumn('received_at', ms, (c) => c.notNull())
        .addColumn('not_before', ms)
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('prev', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        // Scored once, at ingest: null for what is not a flag.
        .addColumn('severity', 'text')
        .addPrimaryKeyConstraint('records_pk', ['journal_id', 'seq'])
        .execute();
      await db.schema
        .createIndex('records_flagged')
        .on('records')
        .columns(['journal_id', 'severity'])
        .where(sql.ref('severity'), 'is not', null)
        .execute();
      await db.schema
        .createTable('quarantine')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('journal_id', 'text', (c) => c.notNull().references('journals.id'))
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('record', 'text', (c) => c.notNull())
        .addColumn('received_at', ms, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('answers')
        .addColumn('candidate_id', 'text', (c) => c.notNull().references('candidates.id'))
        .addColumn('question_id', 'text', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('journal_id', 'text', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('saved_at', ms, (c) => c.notNull())
        .addColumn('answered', 'integer', (c) => c.notNull().defaultTo(0))
        .addPrimaryKeyConstraint('answers_pk', ['candidate_id', 'question_id'])
        .execute();
      await db.schema
        .createTable('submissions')
        .addColumn('journal_id', 'text', (c) => c.primaryKey().references('journals.id'))
        .addColumn('candidate_id', 'text', (c) => c.notNull().references('candidates.id'))
        .addColumn('answers_hash', 'text', (c) => c.notNull())
        .addColumn('server_answers_hash', 'text', (c) => c.notNull())
        .addColumn('head_seq', 'integer', (c) => c.notNull())
        .addColumn('matches', 'integer', (c) => c.notNull())
        .addColumn('received_at', ms, (c) => c.notNull())
        .execute();
      // Every upload asks whether its candidate has submitted.
      await db.schema
        .createIndex('submissions_candidate')
        .on('submissions')
        .column('candidate_id')
        .execute();
      await db.schema
        .createTable('instructions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('candidate_id', 'text', (c) => c.notNull().references('candidates.id'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('minutes', 'integer')
        .addColumn('created_at', ms, (c) => c.notNull())
        .addColumn('applied_at', ms)
        // Instructions given in the same millisecond keep the order they were given in.
        .addColumn('ordinal', 'integer', (c) => c.notNull().defaultTo(0))
        // What a locked candidate is told.
        .addColumn('reason', 'text')
        .execute();
      // Every heartbeat reads the candidate's pending instructions, every batch their minutes.
      await db.schema
        .createIndex('instructions_candidate')
        .on('instructions')
        .column('candidate_id')
        .execute();
      await db.schema
        .createTable('server_flags')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('candidate_id', 'text', (c) => c.notNull().references('candidates.id'))
        .addColumn('journal_id', 'text')
        .addColumn('seq', 'integer')
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('severity', 'text', (c) => c.notNull())
        .addColumn('detail', 'text', (c) => c.notNull())
        .addColumn('at', ms, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('server_flags_candidate')
        .on('server_flags')
        .column('candidate_id')
        .execute();
      await db.schema
        .createTable('hand_ins')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('exam_id', 'text', (c) => c.notNull().references('exams.id'))
        .addColumn('candidate_id', 'text')
        .addColumn('journal_id', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('record_count', 'integer', (c) => c.notNull())
        .addColumn('content', 'text', (c) => c.notNull())
        .addColumn('uploaded_by', 'text', (c) => c.notNull())
        .addColumn('received_at', ms, (c) => c.notNull())
        .execute();
      await staff(db);
      await privacy(db);
    },
  },
  '0002-exam-day': {
    async up(db: Kysely<unknown>) {
      // For a resume: how long the pause took on the server's clock, given back as time.
      await db.schema.alterTable('instructions').addColumn('paused_ms', 'bigint').execute();
      // The pause a resume ends: one resume per pause, however many invigilators press it.
      await db.schema.alterTable('instructions').addColumn('resumes', 'text').execute();
      await db.schema
        .createIndex('instructions_one_resume')
        .on('instructions')
        .column('resumes')
        .unique()
        .where(sql.ref('resumes'), 'is not', null)
        .execute();
      // A message's text, and when the candidate said they read it.
      await db.schema.alterTable('instructions').addColumn('text', 'text').execute();
      await db.schema.alterTable('instructions').addColumn('read_at', 'bigint').execute();
      // A hand the candidate raised and no one has answered yet, with their words.
      await db.schema.alterTable('candidates').addColumn('hand_raised_at', 'bigint').execute();
      await db.schema.alterTable('candidates').addColumn('hand_text', 'text').execute();
      // When the candidate started, as far as the server can tell: their end time on the list.
      await db.schema.alterTable('candidates').addColumn('started_at', 'bigint').execute();
      // Where the candidate is (question, review marks; JSON): a second laptop starts there.
      await db.schema.alterTable('candidates').addColumn('place', 'text').execute();
      // The journal's exam.started: flags before it were found before the exam began.
      await db.schema.alterTable('journals').addColumn('started_seq', 'integer').execute();
      // What keeps a candidate in the checks, as their laptop last said (JSON), until the start.
      await db.schema.alterTable('journals').addColumn('preflight_blockers', 'text').execute();
      // The laptop's battery (percent, charging 0/1) and network type, as its last heartbeat said.
      await db.schema.alterTable('journals').addColumn('battery_level', 'integer').execute();
      await db.schema.alterTable('journals').addColumn('battery_charging', 'integer').execute();
      await db.schema.alterTable('journals').addColumn('network', 'text').execute();
      // One program started again and again is one flag: later starts point at the first.
      await db.schema.alterTable('records').addColumn('group_key', 'text').execute();
      await db.schema.alterTable('records').addColumn('grouped_into', 'integer').execute();
      // An admin cut the account off: no sign-in, and its sessions end at once.
      await db.schema.alterTable('staff_users').addColumn('disabled_at', 'bigint').execute();
    },
  },
};

/** Staff accounts, sessions, assignments, sign-in throttling, reviews and the audit log. */
async function staff(db: Kysely<unknown>): Promise<void> {
  const ms = 'bigint' as const;
  await db.schema
    .createTable('staff_users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('staff_sessions')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('staff_users.id'))
    .addColumn('expires_at', ms, (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('assignments')
    .addColumn('user_id', 'text', (c) => c.notNull().references('staff_users.id'))
    .addColumn('exam_id', 'text', (c) => c.notNull().references('exams.id'))
    .addPrimaryKeyConstraint('assignments_pk', ['user_id', 'exam_id'])
    .execute();
  // Growing delays for wrong sign-ins (auth/throttle.ts).
  await db.schema
    .createTable('attempt_throttle')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('next_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('flag_reviews')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('journal_id', 'text', (c) => c.notNull().references('journals.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('decision', 'text', (c) => c.notNull())
    .addColumn('comment', 'text', (c) => c.notNull())
    .addColumn('reviewer_id', 'text', (c) => c.notNull().references('staff_users.id'))
    .addColumn('at', ms, (c) => c.notNull())
    .execute();
  // The audit log: hash-chained (repositories/audit.ts) and append-only.
  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('at', ms, (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('actor_email', 'text')
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute();
  await db.schema.createIndex('audit_log_seq').on('audit_log').column('seq').unique().execute();
  await db.schema
    .createTable('audit_head')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  // The empty chain's head: seq 0 and the genesis hash (64 zeros), written out here.
  await sql`insert into audit_head (id, seq, hash) values (1, 0, ${'0'.repeat(64)})`.execute(db);
  await appendOnly(db, 'audit_log');
}

/** Legal holds, the hand-over outbox and research recipients (docs/privacy.md). */
async function privacy(db: Kysely<unknown>): Promise<void> {
  const ms = 'bigint' as const;
  await db.schema
    .createTable('legal_holds')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('exam_id', 'text', (c) => c.notNull().references('exams.id'))
    .addColumn('candidate_id', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('review_at', ms, (c) => c.notNull())
    .addColumn('opened_by', 'text', (c) => c.notNull())
    .addColumn('opened_at', ms, (c) => c.notNull())
    .addColumn('released_by', 'text')
    .addColumn('released_at', ms)
    .execute();
  await db.schema
    .createIndex('legal_holds_exam')
    .on('legal_holds')
    .columns(['exam_id', 'released_at'])
    .execute();
  // One signed webhook per accepted submission (privacy/handover.ts).
  await db.schema
    .createTable('handovers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('candidate_id', 'text', (c) => c.notNull().references('candidates.id'))
    .addColumn('journal_id', 'text', (c) => c.notNull().unique().references('journals.id'))
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_at', ms, (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('delivered_at', ms)
    .addColumn('dead_at', ms)
    // An admin sent a given-up one again, or abandoned one delivered another way.
    .addColumn('retried_at', ms)
    .addColumn('abandoned_at', ms)
    .execute();
  await db.schema
    .createIndex('handovers_due')
    .on('handovers')
    .columns(['delivered_at', 'dead_at', 'next_at'])
    .execute();
  await db.schema
    .createTable('research_recipients')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('dpa_reference', 'text', (c) => c.notNull())
    .addColumn('registered_by', 'text', (c) => c.notNull())
    .addColumn('registered_at', ms, (c) => c.notNull())
    .execute();
}

/** Triggers that refuse UPDATE and DELETE on `table`, on SQLite and PostgreSQL alike. */
async function appendOnly(db: Kysely<unknown>, table: string): Promise<void> {
  const message = `${table} is append-only`;
  if (db.getExecutor().adapter instanceof SqliteAdapter) {
    for (const event of ['update', 'delete']) {
      await sql
        .raw(
          `create trigger ${table}_no_${event} before ${event} on ${table} begin select raise(abort, '${message}'); end`,
        )
        .execute(db);
    }
    return;
  }
  await sql
    .raw(
      `create function ${table}_append_only() returns trigger language plpgsql as $$ begin raise exception '${message}'; end $$`,
    )
    .execute(db);
  await sql
    .raw(
      `create trigger ${table}_append_only before update or delete on ${table} for each row execute function ${table}_append_only()`,
    )
    .execute(db);
}

export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve(migrations),
};
