import type { Kysely } from 'kysely';

import { isAnswered } from '../../common/answers';
import { answersHash } from '../../common/api';
import { canonicalJson } from '../../common/canonical-json';
import { answerProblem } from '../../common/content';
import type { EventPayload, Place } from '../../common/events';
import type { JournalRecord } from '../../common/journal-record';
import type { Database } from '../db/schema';
import { enqueueHandover, handoverPayload } from '../privacy/handover';
import {
  answeredBefore,
  countAnswered,
  latestAnswers,
  upsertAnswers,
  type AnswerRow,
} from '../repositories/answers';
import { keepPlace, lowerHand, markStarted, raiseHand } from '../repositories/candidates';
import type { Exam } from '../repositories/exams';
import { markApplied, markRead } from '../repositories/instructions';
import { answersSeeded, markBlocked, markJournalStarted } from '../repositories/journals';
import { insertRecords, openFlagGroup, quarantineRecords } from '../repositories/records';
import type { ServerFlag } from '../repositories/server-flags';
import { insertSubmission } from '../repositories/submissions';

import { writtenInTime } from './deadline';
import { serverFlag, storedSeverity, type FlagSeverity } from './severity';
import type { Accepted } from './verify';

/** A record as stored, with the severity it was given (null: not a flag), once. */
export interface StoredRecord {
  record: JournalRecord;
  severity: FlagSeverity | null;
}

/** Where a batch's effects go, and what decides them. */
export interface BatchScope {
  trx: Kysely<Database>;
  journalId: string;
  candidateId: string;
  exam: Pick<Exam, 'content' | 'policy'>;
  now: number;
  /** Answers after it (or after the grace for offline ones) are kept, never applied. */
  deadline: number;
  graceMs: number;
  /** The candidate's own extra minutes (accommodation). */
  extraMinutes: number;
  /** The candidate has submitted (from any device): answers are frozen. */
  submitted: boolean;
  /** The journal of a device the candidate switched away from: evidence only. */
  replaced: boolean;
  /** A hand-over endpoint is configured: an accepted submission queues its hand-over. */
  handover: boolean;
  /** Raised in this batch, written with it. */
  flags: ServerFlag[];
}

/** Stores the accepted records, each with its severity computed here and nowhere else. */
export async function storeRecords(
  scope: BatchScope,
  accepted: readonly Accepted[],
): Promise<StoredRecord[]> {
  const stored = accepted.map(({ record }) => ({
    record,
    severity: storedSeverity(record.kind, record.payload, scope.exam.policy),
  }));
  if (accepted.length === 0) return stored;
  const groups = await flagGroups(scope, stored);
  await insertRecords(
    scope.trx,
    accepted.map(({ record, payload, notBefore }, index) => ({
      journal_id: scope.journalId,
      seq: record.seq,
      kind: record.kind,
      client_at: record.at,
      mono: record.mono,
      received_at: scope.now,
      not_before: notBefore,
      payload,
      prev: record.prev,
      hash: record.hash,
      severity: stored[index]!.severity,
      group_key: groups[index]!.key,
      grouped_into: groups[index]!.into,
    })),
  );
  return stored;
}

/** Flags that repeat about one program: a program started (or ended by Vakt) again. */
const REPEATING: ReadonlySet<string> = new Set(['process.started', 'process.terminated']);

/**
 * For each stored record, what it repeats (`key`) and the open flag it joins (`into`): the
 * first unreviewed flag of its kind about the same program in this journal, in this batch or
 * stored before. Twenty restarts of one program are then one flag with a count.
 */
async function flagGroups(
  scope: BatchScope,
  stored: readonly StoredRecord[],
): Promise<{ key: string | null; into: number | null }[]> {
  const open = new Map<string, number | null>();
  const groups: { key: string | null; into: number | null }[] = [];
  for (const { record, severity } of stored) {
    if (severity === null || !REPEATING.has(record.kind)) {
      groups.push({ key: null, into: null });
      continue;
    }
    const key = (record.payload as { name: string }).name;
    const slot = `${record.kind}\u0000${key}`;
    if (!open.has(slot)) {
      open.set(slot, await openFlagGroup(scope.trx, scope.journalId, record.kind, key));
    }
    const into = open.get(slot) ?? null;
    groups.push({ key, into });
    if (into === null) open.set(slot, record.seq);
  }
  return groups;
}

/** Sets refused records aside, within the journal's quarantine quota, and flags them. */
export async function quarantine(
  scope: BatchScope,
  records: readonly JournalRecord[],
  reason: string,
  room: { usedBytes: number; quotaBytes: number },
): Promise<void> {
  if (records.length === 0) return;
  const bytes = records.reduce((sum, record) => sum + canonicalJson(record).length, 0);
  // Past the quota the refused records are not kept here; the client still has every one.
  const kept = room.usedBytes + bytes <= room.quotaBytes;
  const first = records[0]!.seq;
  scope.flags.push(
    serverFlag(
      'records.quarantined',
      { candidateId: scope.candidateId, journalId: scope.journalId, seq: first },
      kept
        ? `${records.length} records from ${first} kept aside: ${reason}`
        : `${records.length} records from ${first} refused (${reason}), not kept: quarantine quota reached`,
    ),
  );
  if (kept) await quarantineRecords(scope.trx, scope.journalId, records, reason, scope.now);
}

/**
 * What stored records change beyond the log: latest answers (one upsert per question per
 * batch, so a batch costs a few queries, not one per record), applied instructions, a second
 * device's seeding, receipts. Answers freeze at submission and at the deadline: later ones stay
 * in the log, flagged; a replaced device's stay in the log only.
 */
export async function applyRecords(scope: BatchScope, accepted: readonly Accepted[]) {
  const { candidateId, journalId } = scope;
  if (scope.replaced) {
    const answers = accepted.filter(({ record }) => record.kind === 'answer.saved');
    if (answers.length > 0) {
      scope.flags.push(
        serverFlag(
          'answer.from-replaced-device',
          { candidateId, journalId, seq: answers[0]!.record.seq },
          `${answers.length} answers from the replaced device kept for review, not applied`,
        ),
      );
    }
    return;
  }
  const pending = new Map<string, AnswerRow>();
  const flushAnswers = async () => {
    if (pending.size === 0) return;
    const rows = [...pending.values()];
    pending.clear();
    // The candidate's count of answered questions moves by what these rows change.
    const before = await answeredBefore(scope.trx, candidateId, [
      ...rows.map((r) => r.question_id),
    ]);
    const change = rows.reduce(
      (sum, row) => sum + row.answered - (before.get(row.question_id) ?? 0),
      0,
    );
    await upsertAnswers(scope.trx, rows);
    if (change !== 0) await countAnswered(scope.trx, candidateId, change);
  };
  for (const { record, notBefore } of accepted) {
    switch (record.kind) {
      case 'answer.saved': {
        const row = answerRow(scope, record, notBefore);
        if (row) pending.set(row.question_id, row);
        break;
      }
      case 'answers.seeded':
        await answersSeeded(scope.trx, journalId);
        break;
      case 'instruction.applied': {
        const { id } = record.payload as EventPayload<'instruction.applied'>;
        await markApplied(scope.trx, candidateId, id, scope.now);
        break;
      }
      case 'place.kept':
        await keepPlace(scope.trx, candidateId, record.payload as Place);
        break;
      case 'preflight.blocked': {
        const { blockers } = record.payload as EventPayload<'preflight.blocked'>;
        await markBlocked(scope.trx, journalId, blockers);
        break;
      }
      case 'exam.started':
        await markStarted(scope.trx, candidateId, startedAt(scope, record, notBefore));
        await markJournalStarted(scope.trx, journalId, record.seq);
        break;
      case 'message.read': {
        const { id } = record.payload as EventPayload<'message.read'>;
        await markRead(scope.trx, candidateId, id, scope.now);
        break;
      }
      case 'hand.raised': {
        const { text } = record.payload as EventPayload<'hand.raised'>;
        await raiseHand(scope.trx, candidateId, scope.now, text || null);
        break;
      }
      case 'hand.lowered':
        await lowerHand(scope.trx, candidateId);
        break;
      case 'submission.sealed':
        await flushAnswers();
        await submission(scope, record);
        break;
      default:
        break;
    }
  }
  await flushAnswers();
}

/** The answer a record sets, or null when it sets none (late, or fitting no question). */
function answerRow(
  scope: BatchScope,
  record: JournalRecord,
  notBefore: number | null,
): AnswerRow | null {
  const { questionId, value } = record.payload as EventPayload<'answer.saved'>;
  const question = scope.exam.content.questions.find((q) => q.id === questionId);
  // An answer that fits no question stays in the log as evidence, not in the answers.
  if (!question || answerProblem(question, value) !== null) return null;
  const times = { at: record.at, notBefore, receivedAt: scope.now };
  const late = scope.submitted
    ? 'answer.after-submission'
    : writtenInTime(times, scope.deadline, scope.graceMs)
      ? null
      : 'answer.after-deadline';
  if (late) {
    scope.flags.push(
      serverFlag(
        late,
        { candidateId: scope.candidateId, journalId: scope.journalId, seq: record.seq },
        `answer to ${questionId} kept, not applied`,
      ),
    );
    return null;
  }
  return {
    candidate_id: scope.candidateId,
    question_id: questionId,
    value: canonicalJson(value),
    journal_id: scope.journalId,
    seq: record.seq,
    saved_at: record.at,
    answered: isAnswered(value) ? 1 : 0,
  };
}

/** A sealed submission: compared with the server's own copy, handed over once, frozen. */
async function submission(scope: BatchScope, record: JournalRecord): Promise<void> {
  const { trx, candidateId, journalId } = scope;
  const { answersHash: clientHash, headSeq } = record.payload as EventPayload<'submission.sealed'>;
  const answers = await latestAnswers(trx, candidateId);
  const serverHash = answersHash(answers);
  const inserted = await insertSubmission(trx, {
    journalId,
    candidateId,
    clientHash,
    serverHash,
    headSeq,
    receivedAt: scope.now,
  });
  // The candidate's first accepted submission goes downstream, once; never an autosave.
  if (scope.handover && !scope.submitted && inserted) {
    const handed = {
      receivedAt: scope.now,
      answersHash: serverHash,
      matchesClient: clientHash === serverHash,
    };
    const payload = await handoverPayload(trx, candidateId, handed, answers);
    await enqueueHandover(trx, journalId, candidateId, payload, scope.now);
  }
  if (clientHash !== serverHash && !scope.submitted) {
    scope.flags.push(
      serverFlag(
        'submission.mismatch',
        { candidateId, journalId, seq: record.seq },
        "the sealed answers differ from the server's copy",
      ),
    );
  }
  scope.submitted = true;
}

/**
 * When the exam started, as far as the server can tell: the client says so through its
 * deadline (start + duration + extra, on the server's clock), believed only between the last
 * nonce it returned and the record's arrival.
 */
function startedAt(scope: BatchScope, record: JournalRecord, notBefore: number | null): number {
  const { deadline } = record.payload as EventPayload<'exam.started'>;
  const claimed =
    deadline - scope.exam.policy.timing.durationMinutes * 60_000 - scope.extraMinutes * 60_000;
  return Math.min(scope.now, Math.max(notBefore ?? -Infinity, claimed));
}
