import { randomUUID } from 'node:crypto';

import type { Kysely } from 'kysely';

import { answerValueSchema, type AnswerValue } from '../common/answers';
import { answersHash, type Ack, type Receipt } from '../common/api';
import { canonicalJson } from '../common/canonical-json';
import { answerProblem, type ExamContent } from '../common/content';
import type { EventPayload } from '../common/events';
import { recordHash, type JournalRecord } from '../common/journal-record';
import type { Refusal } from '../common/refusals';

import type { ServerContext } from './context';
import type { DialectName } from './db/database';
import { hotInsert, hotQuery } from './db/hot-query';
import type { Database } from './db/schema';
import { deadlineAfter, offlineGraceMs, writtenInTime } from './deadline';
import { lockJournal } from './journal-lock';
import { enqueueHandover, handoverPayload } from './privacy/handover';
import { DEFAULT_QUOTAS, type Quotas } from './quotas';
import type { Exam } from './repositories/exams';
import { raiseFlags, type ServerFlag } from './repositories/server-flags';
import { nativeSha256Hex } from './secrets';
import { storedSeverity } from './severity';
import { syncNonces, type IssuedNonce, type SyncNonces } from './sync-nonces';

/** What every batch needs of the server, the same for all of them. */
export interface IngestServer {
  db: Kysely<Database>;
  dialect: DialectName;
  nonces: SyncNonces;
  quotas?: Quotas;
  /** A hand-over endpoint is configured: an accepted submission queues its hand-over. */
  handover?: boolean;
}

/** The ingest side of the server's context, built once per set of routes. */
export function ingestServer(context: ServerContext): IngestServer {
  return {
    db: context.storage.db,
    dialect: context.storage.dialect,
    nonces: syncNonces(context.keys.signing.secretKey),
    quotas: context.quotas,
    handover: context.handover !== undefined,
  };
}

export type IngestResult =
  | { kind: 'ack'; ack: Ack; stored: JournalRecord[]; flags: ServerFlag[] }
  | { kind: 'refused'; refusal: Refusal; stored: JournalRecord[]; flags: ServerFlag[] }
  | { kind: 'not-active'; state: string };

/** What ingest needs of the exam: content (which answers fit), close and grace (the deadline). */
export type IngestExam = Pick<Exam, 'content' | 'closesAt' | 'policy'>;

interface Context {
  trx: Kysely<Database>;
  nonces: SyncNonces;
  journalId: string;
  candidateId: string;
  content: ExamContent;
  now: number;
  /** Answers after it (or after the grace for offline ones) are kept, never applied. */
  deadline: number;
  graceMs: number;
  /** The candidate has submitted (from any device): answers are frozen. */
  submitted: boolean;
  /** The journal of a device the candidate switched away from: evidence only. */
  replaced: boolean;
  /** Raised in this batch, written with it. */
  flags: ServerFlag[];
  /** A hand-over endpoint is configured: an accepted submission queues its hand-over. */
  handover: boolean;
  quarantinedBytes: number;
  quarantineQuota: number;
}

interface Accepted {
  record: JournalRecord;
  notBefore: number | null;
}

/**
 * Marks a returned nonce issued before migration 0017 (when each had a row), if it was issued
 * to this journal, not returned before, and issued after the last one returned: one statement,
 * which says whether it was.
 */
const returnLegacyNonce = hotQuery(
  (db, slot: (name: 'seq' | 'journalId' | 'nonce' | 'lastOrdinal') => never) =>
    db
      .updateTable('nonces')
      .set({ returned_seq: slot('seq') })
      .where('journal_id', '=', slot('journalId'))
      .where('nonce', '=', slot('nonce'))
      .where('returned_seq', 'is', null)
      .where('ordinal', '>', slot('lastOrdinal'))
      .returning(['ordinal', 'issued_at']),
);

const insertRecords = hotInsert('records');

/** The latest answer per question: a newer one replaces it. */
const upsertAnswers = hotInsert('answers', (insert) =>
  insert.onConflict((oc) =>
    oc.columns(['candidate_id', 'question_id']).doUpdateSet((eb) => ({
      value: eb.ref('excluded.value'),
      journal_id: eb.ref('excluded.journal_id'),
      seq: eb.ref('excluded.seq'),
      saved_at: eb.ref('excluded.saved_at'),
    })),
  ),
);

type JournalSlot =
  'seq' | 'hash' | 'now' | 'bytes' | 'issued' | 'returned' | 'returnedAt' | 'journalId';

/** The journal after a batch: its new head, and the nonces issued and returned. */
const saveJournal = hotQuery((db, slot: (name: JournalSlot) => never) =>
  db
    .updateTable('journals')
    .set((eb) => ({
      watermark: slot('seq'),
      head_hash: slot('hash'),
      last_seen_at: slot('now'),
      stored_bytes: eb('stored_bytes', '+', slot('bytes')),
      nonce_ordinal: slot('issued'),
      returned_ordinal: slot('returned'),
      returned_issued_at: slot('returnedAt'),
    }))
    .where('id', '=', slot('journalId')),
);

/**
 * Stores one upload batch following DESIGN.md "Sync protocol", in one transaction with the
 * journal locked: records at or below the watermark are idempotent retries (same hash) or a
 * fork; the first new record must be watermark + 1 (else gap); each must chain and hash; each
 * returned nonce must come back in the order issued. The longest valid prefix is stored; what
 * follows a fork, a broken chain or a bad nonce goes to quarantine, never lost.
 */
export async function ingestBatch(
  server: IngestServer,
  journalId: string,
  records: readonly JournalRecord[],
  now: number,
  exam: IngestExam,
): Promise<IngestResult> {
  const { dialect, nonces, quotas = DEFAULT_QUOTAS, handover = false } = server;
  return server.db.transaction().execute(async (trx) => {
    const locked = await lockJournal(trx, dialect, journalId);
    if (!locked) throw new Error(`no journal ${journalId}`);
    const { journal } = locked;
    // A superseded journal (the laptop a candidate switched away from) still delivers what it
    // wrote, as evidence: stored and chained, never applied to the answers.
    if (journal.state !== 'active' && journal.state !== 'superseded')
      return { kind: 'not-active', state: journal.state };

    const context: Context = {
      trx,
      nonces,
      journalId,
      candidateId: journal.candidate_id,
      content: exam.content,
      now,
      deadline: deadlineAfter(exam, locked.extraMinutes, locked.addedMinutes),
      graceMs: offlineGraceMs(exam),
      submitted: locked.submitted,
      replaced: journal.state === 'superseded',
      flags: [],
      handover,
      quarantinedBytes: journal.quarantined_bytes,
      quarantineQuota: quotas.quarantineBytes,
    };

    // 1. Records the server already has: idempotent retry or fork.
    const old = records.filter((r) => r.seq <= journal.watermark);
    if (old.length > 0) {
      const stored = await trx
        .selectFrom('records')
        .select(['seq', 'hash'])
        .where('journal_id', '=', journalId)
        .where(
          'seq',
          'in',
          old.map((r) => r.seq),
        )
        .execute();
      const hashes = new Map(stored.map((row) => [row.seq, row.hash]));
      const forked = records.findIndex(
        (r) => r.seq <= journal.watermark && hashes.get(r.seq) !== r.hash,
      );
      if (forked !== -1) {
        const seq = records[forked]!.seq;
        await quarantine(context, records.slice(forked), 'fork');
        return refused(
          context,
          { code: 'fork', seq, message: `Record ${seq} differs from the one already stored.` },
          [],
        );
      }
    }
    const fresh = records.filter((r) => r.seq > journal.watermark);
    if (fresh.length > 0 && fresh[0]!.seq !== journal.watermark + 1) {
      const expectedSeq = journal.watermark + 1;
      return refused(
        context,
        { code: 'gap', expectedSeq, message: `The server needs record ${expectedSeq} next.` },
        [],
      );
    }

    // 2. The journal's quota, before anything is written: the client keeps what is refused.
    const payloads = new Map(fresh.map((r) => [r.seq, canonicalJson(r.payload)]));
    let freshBytes = 0;
    for (const text of payloads.values()) freshBytes += text.length;
    if (journal.stored_bytes + freshBytes > quotas.journalBytes) {
      context.flags.push({
        candidateId: journal.candidate_id,
        journalId,
        seq: fresh[0]?.seq ?? null,
        kind: 'records.over-quota',
        severity: 'medium',
        detail: `the journal would exceed ${quotas.journalBytes} bytes`,
      });
      return refused(
        context,
        {
          code: 'quota',
          limitBytes: quotas.journalBytes,
          message: 'This journal holds more than the server keeps for one exam.',
        },
        [],
      );
    }

    // 3. New records: chain, hash and nonce order, up to the first that fails.
    let notBefore = journal.returned_issued_at;
    let lastOrdinal = journal.returned_ordinal;
    let expectedSeq = journal.watermark + 1;
    let expectedPrev = journal.head_hash;
    const accepted: Accepted[] = [];
    let failure: Refusal | null = null;
    for (const record of fresh) {
      if (
        record.seq !== expectedSeq ||
        record.prev !== expectedPrev ||
        record.hash !== recordHash(record, nativeSha256Hex, payloads.get(record.seq))
      ) {
        failure = {
          code: 'chain',
          seq: record.seq,
          message: `Record ${record.seq} does not continue the chain.`,
        };
        break;
      }
      if (record.kind === 'sync.nonce') {
        const issued = await returnedNonce(context, record, lastOrdinal, journal.nonce_ordinal);
        if (!issued) {
          failure = {
            code: 'nonce',
            message: `Record ${record.seq} returns a nonce out of the order issued.`,
          };
          break;
        }
        lastOrdinal = issued.ordinal;
        notBefore = issued.issuedAt;
      }
      accepted.push({ record, notBefore });
      expectedSeq += 1;
      expectedPrev = record.hash;
    }

    if (accepted.length > 0) {
      await insertRecords(
        trx,
        accepted.map(({ record, notBefore: bound }) => ({
          journal_id: journalId,
          seq: record.seq,
          kind: record.kind,
          client_at: record.at,
          mono: record.mono,
          received_at: now,
          not_before: bound,
          payload: payloads.get(record.seq)!,
          prev: record.prev,
          hash: record.hash,
          severity: storedSeverity(record.kind, record.payload, exam.policy),
        })),
      );
      await applyEffects(context, accepted);
    }
    const head = accepted.at(-1)?.record;
    const watermark = head?.seq ?? journal.watermark;
    const headHash = head?.hash ?? journal.head_hash;
    // An acknowledgement carries the next nonce; a refusal none.
    const issued = failure ? journal.nonce_ordinal : journal.nonce_ordinal + 1;
    if (head || !failure) {
      let bytes = 0;
      for (const { record } of accepted) bytes += payloads.get(record.seq)!.length;
      await saveJournal(trx, {
        seq: watermark,
        hash: headHash,
        now,
        bytes,
        issued,
        returned: lastOrdinal,
        returnedAt: notBefore,
        journalId,
      });
    }
    if (failure) {
      // accepted is a prefix of fresh: everything from the failing record on is kept aside.
      await quarantine(context, fresh.slice(accepted.length), failure.code);
      return refused(
        context,
        failure,
        accepted.map(({ record }) => record),
      );
    }

    const nonce = nonces.issue(journalId, { ordinal: issued, issuedAt: now });
    // Only a candidate who has submitted (before, or in this batch) can have a receipt.
    const receipt = context.submitted ? await receiptFor(trx, journalId) : null;
    const ack: Ack = {
      watermark,
      headHash,
      nonce,
      serverTime: now,
      ...(receipt ? { receipt } : {}),
      ...(context.replaced ? { replacedAfter: journal.replaced_after ?? 0 } : {}),
    };
    await raiseFlags(trx, context.flags, now);
    return {
      kind: 'ack',
      ack,
      stored: accepted.map(({ record }) => record),
      flags: context.flags,
    };
  });
}

async function refused(
  context: Context,
  refusal: Refusal,
  stored: JournalRecord[],
): Promise<IngestResult> {
  await raiseFlags(context.trx, context.flags, context.now);
  return { kind: 'refused', refusal, stored, flags: context.flags };
}

async function quarantine(
  context: Context,
  records: readonly JournalRecord[],
  reason: string,
): Promise<void> {
  if (records.length === 0) return;
  const texts = records.map((record) => canonicalJson(record));
  const bytes = texts.reduce((sum, text) => sum + text.length, 0);
  // Past the quota the refused records are not kept here; the client still has every one.
  const kept = context.quarantinedBytes + bytes <= context.quarantineQuota;
  context.flags.push({
    candidateId: context.candidateId,
    journalId: context.journalId,
    seq: records[0]!.seq,
    kind: 'records.quarantined',
    severity: 'high',
    detail: kept
      ? `${records.length} records from ${records[0]!.seq} kept aside: ${reason}`
      : `${records.length} records from ${records[0]!.seq} refused (${reason}), not kept: quarantine quota reached`,
  });
  if (!kept) return;
  await context.trx
    .insertInto('quarantine')
    .values(
      records.map((record, index) => ({
        id: randomUUID(),
        journal_id: context.journalId,
        seq: record.seq,
        reason,
        record: texts[index]!,
        received_at: context.now,
      })),
    )
    .execute();
  await context.trx
    .updateTable('journals')
    .set((eb) => ({ quarantined_bytes: eb('quarantined_bytes', '+', bytes) }))
    .where('id', '=', context.journalId)
    .execute();
}

/**
 * The nonce a sync.nonce record returns, if this server issued it to this journal after the
 * last one returned; null if not.
 */
async function returnedNonce(
  context: Context,
  record: JournalRecord,
  lastOrdinal: number,
  issuedOrdinal: number,
): Promise<IssuedNonce | null> {
  const { nonce } = record.payload as EventPayload<'sync.nonce'>;
  const issued = context.nonces.read(context.journalId, nonce);
  if (issued) {
    return issued.ordinal > lastOrdinal && issued.ordinal <= issuedOrdinal ? issued : null;
  }
  const { trx, journalId } = context;
  const legacy = (await returnLegacyNonce(trx, { seq: record.seq, journalId, nonce, lastOrdinal }))
    .rows[0];
  return legacy ? { ordinal: legacy.ordinal, issuedAt: legacy.issued_at } : null;
}

type AnswerRow = Database['answers'];

/**
 * What stored records change beyond the log: latest answers (one upsert per question per
 * batch, so a batch costs a few queries, not one per record), applied instructions, receipts.
 * Answers freeze at submission and at the deadline: later ones stay in the log, flagged.
 */
async function applyEffects(context: Context, records: readonly Accepted[]): Promise<void> {
  const { trx, candidateId, now } = context;
  if (context.replaced) {
    const answers = records.filter(({ record }) => record.kind === 'answer.saved');
    if (answers.length > 0) {
      context.flags.push({
        candidateId,
        journalId: context.journalId,
        seq: answers[0]!.record.seq,
        kind: 'answer.from-replaced-device',
        severity: 'medium',
        detail: `${answers.length} answers from the replaced device kept for review, not applied`,
      });
    }
    return;
  }
  const pending = new Map<string, AnswerRow>();
  const flushAnswers = async () => {
    if (pending.size === 0) return;
    const rows = [...pending.values()];
    pending.clear();
    await upsertAnswers(trx, rows);
  };

  for (const { record, notBefore } of records) {
    switch (record.kind) {
      case 'answer.saved': {
        const { questionId, value } = record.payload as EventPayload<'answer.saved'>;
        const question = context.content.questions.find((q) => q.id === questionId);
        // An answer that fits no question stays in the log as evidence, not in the answers.
        if (!question || answerProblem(question, value) !== null) break;
        const late = lateness(context, record, notBefore);
        if (late) {
          context.flags.push({
            candidateId,
            journalId: context.journalId,
            seq: record.seq,
            kind: late,
            severity: 'high',
            detail: `answer to ${questionId} kept, not applied`,
          });
          break;
        }
        pending.set(questionId, {
          candidate_id: candidateId,
          question_id: questionId,
          value: canonicalJson(value),
          journal_id: context.journalId,
          seq: record.seq,
          saved_at: record.at,
        });
        break;
      }
      case 'answers.seeded':
        // The second device holds the candidate's answers now: later replies stop asking.
        await trx
          .updateTable('journals')
          .set({ needs_answers: 0 })
          .where('id', '=', context.journalId)
          .execute();
        break;
      case 'instruction.applied': {
        const { id } = record.payload as EventPayload<'instruction.applied'>;
        await trx
          .updateTable('instructions')
          .set({ applied_at: now })
          .where('id', '=', id)
          .where('candidate_id', '=', candidateId)
          .where('applied_at', 'is', null)
          .execute();
        break;
      }
      case 'submission.sealed': {
        await flushAnswers();
        const { answersHash: clientHash, headSeq } =
          record.payload as EventPayload<'submission.sealed'>;
        const answers = await latestAnswers(trx, candidateId);
        const serverHash = answersHash(answers);
        const inserted = await trx
          .insertInto('submissions')
          .values({
            journal_id: context.journalId,
            candidate_id: candidateId,
            answers_hash: clientHash,
            server_answers_hash: serverHash,
            head_seq: headSeq,
            matches: clientHash === serverHash ? 1 : 0,
            received_at: now,
          })
          .onConflict((oc) => oc.column('journal_id').doNothing())
          .executeTakeFirst();
        // The candidate's first accepted submission goes downstream, once; never an autosave.
        const first = !context.submitted && !context.replaced;
        if (context.handover && first && Number(inserted.numInsertedOrUpdatedRows) === 1) {
          const submission = {
            receivedAt: now,
            answersHash: serverHash,
            matchesClient: clientHash === serverHash,
          };
          const payload = await handoverPayload(trx, candidateId, submission, answers);
          await enqueueHandover(trx, context.journalId, candidateId, payload, now);
        }
        if (clientHash !== serverHash && !context.submitted) {
          context.flags.push({
            candidateId,
            journalId: context.journalId,
            seq: record.seq,
            kind: 'submission.mismatch',
            severity: 'high',
            detail: "the sealed answers differ from the server's copy",
          });
        }
        context.submitted = true;
        break;
      }
      default:
        break;
    }
  }
  await flushAnswers();
}

/** Why an answer may no longer change the candidate's answers, or null when it may. */
function lateness(
  context: Context,
  record: JournalRecord,
  notBefore: number | null,
): 'answer.after-submission' | 'answer.after-deadline' | null {
  if (context.submitted) return 'answer.after-submission';
  const times = { at: record.at, notBefore, receivedAt: context.now };
  return writtenInTime(times, context.deadline, context.graceMs) ? null : 'answer.after-deadline';
}

/** The candidate's latest answer per question, across every journal of theirs. */
export async function latestAnswers(
  db: Kysely<Database>,
  candidateId: string,
): Promise<Record<string, AnswerValue>> {
  const rows = await db
    .selectFrom('answers')
    .select(['question_id', 'value'])
    .where('candidate_id', '=', candidateId)
    .execute();
  return Object.fromEntries(
    rows.map((row) => [row.question_id, answerValueSchema.parse(JSON.parse(row.value))]),
  );
}

async function receiptFor(trx: Kysely<Database>, journalId: string): Promise<Receipt | null> {
  const row = await trx
    .selectFrom('submissions')
    .selectAll()
    .where('journal_id', '=', journalId)
    .executeTakeFirst();
  return row
    ? {
        answersHash: row.server_answers_hash,
        headSeq: row.head_seq,
        matches: row.matches === 1,
        receivedAt: row.received_at,
      }
    : null;
}
