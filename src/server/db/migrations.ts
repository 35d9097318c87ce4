import { sql, SqliteAdapter, type Kysely } from 'kysely';
import type { Migration, MigrationProvider } from 'kysely/migration';

import { GENESIS_HASH } from '../../common/journal-record';
import { examPolicySchema, type ExamPolicy } from '../../common/policy';
import { auditHash } from '../repositories/audit';
import { storedSeverity } from '../severity';

import type { Database } from './schema';

/** Records scored per page by the 0008 backfill. */
const BACKFILL_PAGE = 5_000;

/**
 * Migrations in code, one set for both dialects. Add a new entry for every change; never edit
 * one that has shipped.
 */
const migrations: Record<string, Migration> = {
  '0001-initial': {
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
        .execute();
      await db.schema
        .createTable('candidates')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('exam_id', 'text', (c) => c.notNull().references('exams.id'))
        .addColumn('candidate_number', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('personal_code_hash', 'text', (c) => c.notNull())
        .addColumn('extra_minutes', 'integer', (c) => c.notNull().defaultTo(0))
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
        .execute();
      await db.schema
        .createIndex('journals_candidate')
        .on('journals')
        .column('candidate_id')
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
        .createTable('nonces')
        .addColumn('journal_id', 'text', (c) => c.notNull().references('journals.id'))
        .addColumn('ordinal', 'integer', (c) => c.notNull())
        .addColumn('nonce', 'text', (c) => c.notNull())
        .addColumn('issued_at', ms, (c) => c.notNull())
        .addColumn('returned_seq', 'integer')
        .addPrimaryKeyConstraint('nonces_pk', ['journal_id', 'ordinal'])
        .addUniqueConstraint('nonces_unique', ['journal_id', 'nonce'])
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
        .addPrimaryKeyConstraint('records_pk', ['journal_id', 'seq'])
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
      await db.schema
        .createTable('instructions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('candidate_id', 'text', (c) => c.notNull().references('candidates.id'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('minutes', 'integer')
        .addColumn('created_at', ms, (c) => c.notNull())
        .addColumn('applied_at', ms)
        .execute();
    },
  },
  '0002-staff': {
    async up(db: Kysely<unknown>) {
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
      await db.schema
        .createTable('sign_in_failures')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('count', 'integer', (c) => c.notNull())
        .addColumn('window_start', ms, (c) => c.notNull())
        .execute();
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
        .execute();
      await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute();
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
    },
  },
  '0003-instruction-order': {
    async up(db: Kysely<unknown>) {
      // Instructions given in the same millisecond keep the order they were given in.
      await db.schema
        .alterTable('instructions')
        .addColumn('ordinal', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
    },
  },
  '0004-server-trust': {
    async up(db: Kysely<unknown>) {
      const ms = 'bigint' as const;
      // The Ed25519 key a client registers with its journal; hand-in files must be signed by it.
      await db.schema.alterTable('journals').addColumn('public_key', 'text').execute();
      // At most one active journal per candidate, even for two sign-ins in the same instant.
      // A race before this index may have left two: the older stays active, the newer waits
      // for an invigilator as a second device would.
      await sql`
        update journals set state = 'awaiting-approval'
        where state = 'active' and exists (
          select 1 from journals older
          where older.candidate_id = journals.candidate_id and older.state = 'active'
            and (older.created_at < journals.created_at
              or (older.created_at = journals.created_at and older.id < journals.id)))
      `.execute(db);
      await db.schema
        .createIndex('journals_one_active')
        .on('journals')
        .column('candidate_id')
        .unique()
        .where(sql.ref('state'), '=', 'active')
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
    },
  },
  '0005-throttle': {
    async up(db: Kysely<unknown>) {
      // Bytes stored per journal, for the quotas (quotas.ts).
      await db.schema
        .alterTable('journals')
        .addColumn('stored_bytes', 'bigint', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .alterTable('journals')
        .addColumn('quarantined_bytes', 'bigint', (c) => c.notNull().defaultTo(0))
        .execute();
      const ms = 'bigint' as const;
      // Growing delays replace the hard lockout (throttle.ts).
      await db.schema.dropTable('sign_in_failures').execute();
      await db.schema
        .createTable('attempt_throttle')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('failures', 'integer', (c) => c.notNull())
        .addColumn('next_at', ms, (c) => c.notNull())
        .addColumn('updated_at', ms, (c) => c.notNull())
        .execute();
    },
  },
  '0006-audit-chain': {
    async up(db: Kysely<unknown>) {
      // Chain what is already there, in the order it was written, then forbid changes.
      await db.schema.alterTable('audit_log').addColumn('seq', 'integer').execute();
      await db.schema.alterTable('audit_log').addColumn('prev_hash', 'text').execute();
      await db.schema.alterTable('audit_log').addColumn('hash', 'text').execute();
      const typed = db as unknown as Kysely<Database>;
      const rows = await typed
        .selectFrom('audit_log')
        .selectAll()
        .orderBy('at')
        .orderBy('id')
        .execute();
      let prev = GENESIS_HASH;
      for (const [index, row] of rows.entries()) {
        const chained = { ...row, seq: index + 1, prev_hash: prev };
        const hash = auditHash(chained);
        await typed
          .updateTable('audit_log')
          .set({ seq: chained.seq, prev_hash: prev, hash })
          .where('id', '=', row.id)
          .execute();
        prev = hash;
      }
      await db.schema
        .createTable('audit_head')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .execute();
      await typed
        .insertInto('audit_head')
        .values({ id: 1, seq: rows.length, hash: prev })
        .execute();
      await db.schema.createIndex('audit_log_seq').on('audit_log').column('seq').unique().execute();
      await appendOnly(db, 'audit_log');
    },
  },
  '0007-exam-min-client-version': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('exams').addColumn('min_client_version', 'text').execute();
    },
  },
  // Flags scored once, at ingest (the candidate list counted them by re-scoring every record
  // of the exam on each call); the client's own head from its heartbeat, so the dashboard can
  // show changes waiting to sync; a lock's reason.
  '0008-flags-at-ingest': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('records').addColumn('severity', 'text').execute();
      await db.schema
        .alterTable('journals')
        .addColumn('client_head_seq', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      // What a locked candidate is told, from the invigilator's lock instruction.
      await db.schema.alterTable('instructions').addColumn('reason', 'text').execute();
      await db.schema
        .createIndex('records_flagged')
        .on('records')
        .columns(['journal_id', 'severity'])
        .where(sql.ref('severity'), 'is not', null)
        .execute();
      const typed = db as unknown as Kysely<Database>;
      const exams = new Map<string, ExamPolicy>();
      for (const exam of await typed.selectFrom('exams').select(['id', 'policy']).execute())
        exams.set(exam.id, examPolicySchema.parse(JSON.parse(exam.policy)));
      // In pages, by key: an exam server may hold millions of records.
      let after = { journalId: '', seq: 0 };
      for (;;) {
        const rows = await typed
          .selectFrom('records')
          .innerJoin('journals', 'journals.id', 'records.journal_id')
          .innerJoin('candidates', 'candidates.id', 'journals.candidate_id')
          .select(['records.journal_id', 'records.seq', 'records.kind', 'records.payload'])
          .select('candidates.exam_id')
          .where((eb) =>
            eb.or([
              eb('records.journal_id', '>', after.journalId),
              eb.and([
                eb('records.journal_id', '=', after.journalId),
                eb('records.seq', '>', after.seq),
              ]),
            ]),
          )
          .where('records.kind', 'not in', ['answer.saved', 'sync.nonce'])
          .orderBy('records.journal_id')
          .orderBy('records.seq')
          .limit(BACKFILL_PAGE)
          .execute();
        for (const row of rows) {
          const policy = exams.get(row.exam_id)!;
          const severity = storedSeverity(row.kind, JSON.parse(row.payload), policy);
          if (severity === null) continue;
          await typed
            .updateTable('records')
            .set({ severity })
            .where('journal_id', '=', row.journal_id)
            .where('seq', '=', row.seq)
            .execute();
        }
        const last = rows.at(-1);
        if (!last || rows.length < BACKFILL_PAGE) break;
        after = { journalId: last.journal_id, seq: last.seq };
      }
    },
  },
  // The laptop's operating system, from sign-in, for the invigilator's table.
  '0009-journal-platform': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('journals').addColumn('platform', 'text').execute();
    },
  },
  // Retention: an exam's own retention date (null: the end of its school year) and legal holds.
  '0010-retention': {
    async up(db: Kysely<unknown>) {
      const ms = 'bigint' as const;
      await db.schema.alterTable('exams').addColumn('retain_until', ms).execute();
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
    },
  },
  // The hand-over outbox: one signed webhook per accepted submission (privacy/handover.ts).
  '0011-handovers': {
    async up(db: Kysely<unknown>) {
      const ms = 'bigint' as const;
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
        .execute();
      await db.schema
        .createIndex('handovers_due')
        .on('handovers')
        .columns(['delivered_at', 'dead_at', 'next_at'])
        .execute();
    },
  },
  // Who may receive pseudonymised research exports: each with its data-processing agreement.
  '0012-research-recipients': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('research_recipients')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('dpa_reference', 'text', (c) => c.notNull())
        .addColumn('registered_by', 'text', (c) => c.notNull())
        .addColumn('registered_at', 'bigint', (c) => c.notNull())
        .execute();
    },
  },
  '0013-per-candidate-lookups': {
    async up(db: Kysely<unknown>) {
      // Every heartbeat reads the candidate's pending instructions, and every batch their
      // added minutes: a full scan each time, growing with the exam's instructions.
      await db.schema
        .createIndex('instructions_candidate')
        .on('instructions')
        .column('candidate_id')
        .execute();
      // Every batch finds the journal's last returned nonce: without this, a walk back over
      // every nonce issued since.
      await db.schema
        .createIndex('nonces_returned')
        .on('nonces')
        .columns(['journal_id', 'ordinal'])
        .where(sql.ref('returned_seq'), 'is not', null)
        .execute();
    },
  },
  '0014-handover-admin': {
    async up(db: Kysely<unknown>) {
      // An admin may send a given-up hand-over again (its three days start anew) or abandon
      // one the receiver got another way (retention then no longer waits for it).
      await db.schema.alterTable('handovers').addColumn('retried_at', 'bigint').execute();
      await db.schema.alterTable('handovers').addColumn('abandoned_at', 'bigint').execute();
    },
  },
  // When an admin declared an exam's grades final: its raw monitoring events go then, ahead of
  // the rest, unless a legal hold keeps them (docs/privacy.md).
  '0015-grades-final': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('exams').addColumn('grades_final_at', 'bigint').execute();
    },
  },
  '0016-submissions-by-candidate': {
    async up(db: Kysely<unknown>) {
      // Every upload asks whether its candidate has submitted: without this, a scan of every
      // submission, which by the end of a 20,000-candidate exam day is 20,000 rows per upload.
      await db.schema
        .createIndex('submissions_candidate')
        .on('submissions')
        .column('candidate_id')
        .execute();
    },
  },
  '0017-nonces-in-journals': {
    async up(db: Kysely<unknown>) {
      // Nonces now carry their ordinal and time of issue under the server's HMAC
      // (sync-nonces.ts): the journal keeps the highest issued and the last returned, which
      // every upload updates anyway. The nonces table keeps what was issued before, so a
      // client holding such a nonce across the upgrade is not refused.
      await db.schema
        .alterTable('journals')
        .addColumn('nonce_ordinal', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .alterTable('journals')
        .addColumn('returned_ordinal', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.alterTable('journals').addColumn('returned_issued_at', 'bigint').execute();
      const returned = sql.raw(
        'from nonces where nonces.journal_id = journals.id and nonces.returned_seq is not null',
      );
      await sql`
        update journals set
          nonce_ordinal = coalesce(
            (select max(ordinal) from nonces where nonces.journal_id = journals.id), 0),
          returned_ordinal = coalesce((select max(ordinal) ${returned}), 0),
          returned_issued_at = (select issued_at ${returned} order by ordinal desc limit 1)
      `.execute(db);
      // It found the last returned nonce, which the journal now keeps.
      await db.schema.dropIndex('nonces_returned').execute();
    },
  },
  // When a retention run first emptied an exam's raw monitoring events (grades final): the
  // data protection page says it happened, not only that it will.
  '0018-monitoring-removed': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('exams').addColumn('monitoring_removed_at', 'bigint').execute();
    },
  },
  // A device switch as the server sees it: a second device starts from the candidate's answers
  // until it journals that it did; a replaced one is told where its records stopped counting.
  '0019-device-switch': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('journals')
        .addColumn('needs_answers', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.alterTable('journals').addColumn('replaced_after', 'integer').execute();
    },
  },
};

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
