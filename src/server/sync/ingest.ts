import type { Kysely } from 'kysely';

import type { Ack } from '../../common/api';
import type { JournalRecord } from '../../common/journal-record';
import type { Refusal } from '../../common/refusals';
import type { DialectName } from '../db/database';
import type { Database } from '../db/schema';
import type { Exam } from '../repositories/exams';
import { lockJournal } from '../repositories/journal-lock';
import { saveJournalHead } from '../repositories/journals';
import { storedHashes } from '../repositories/records';
import { raiseFlags, type ServerFlag } from '../repositories/server-flags';
import { receiptFor } from '../repositories/submissions';

import { deadlineAfter, offlineGraceMs } from './deadline';
import {
  applyRecords,
  quarantine,
  storeRecords,
  type BatchScope,
  type StoredRecord,
} from './effects';
import type { SyncNonces } from './nonces';
import { DEFAULT_QUOTAS, type Quotas } from './quotas';
import { serverFlag } from './severity';
import { verifyBatch } from './verify';

export type IngestResult =
  | { kind: 'ack'; ack: Ack; stored: StoredRecord[]; flags: ServerFlag[] }
  | { kind: 'refused'; refusal: Refusal; stored: StoredRecord[]; flags: ServerFlag[] }
  | { kind: 'not-active'; state: string };

/** What ingest needs of the exam: content (which answers fit), close and grace (the deadline). */
export type IngestExam = Pick<Exam, 'content' | 'closesAt' | 'policy'>;

export interface IngestOptions {
  db: Kysely<Database>;
  dialect: DialectName;
  nonces: SyncNonces;
  quotas?: Quotas;
  /** A hand-over endpoint is configured: an accepted submission queues its hand-over. */
  handover?: boolean;
}

/**
 * Stores upload batches (DESIGN.md "Sync protocol"), the same for client uploads and hand-in
 * files: built once by the server's composition root. Each batch is one transaction with the
 * journal locked: the pure verifier (verify.ts) decides what is accepted, refused and set
 * aside; the effects (effects.ts) store it through the repositories.
 */
export class Ingest {
  private readonly quotas: Quotas;

  constructor(private readonly options: IngestOptions) {
    this.quotas = options.quotas ?? DEFAULT_QUOTAS;
  }

  batch(
    journalId: string,
    records: readonly JournalRecord[],
    now: number,
    exam: IngestExam,
  ): Promise<IngestResult> {
    return this.options.db
      .transaction()
      .execute((trx) => this.inTransaction(trx, journalId, records, now, exam));
  }

  private async inTransaction(
    trx: Kysely<Database>,
    journalId: string,
    records: readonly JournalRecord[],
    now: number,
    exam: IngestExam,
  ): Promise<IngestResult> {
    const { nonces } = this.options;
    const locked = await lockJournal(trx, this.options.dialect, journalId);
    if (!locked) throw new Error(`no journal ${journalId}`);
    const { journal } = locked;
    // A superseded journal (the laptop a candidate switched away from) still delivers what it
    // wrote, as evidence: stored and chained, never applied to the answers.
    if (journal.state !== 'active' && journal.state !== 'superseded')
      return { kind: 'not-active', state: journal.state };

    const known = records.filter((r) => r.seq <= journal.watermark).map((r) => r.seq);
    const verdict = verifyBatch(
      {
        watermark: journal.watermark,
        headHash: journal.head_hash,
        storedBytes: journal.stored_bytes,
        nonceOrdinal: journal.nonce_ordinal,
        returnedOrdinal: journal.returned_ordinal,
        returnedIssuedAt: journal.returned_issued_at,
      },
      {
        records,
        storedHashes: await storedHashes(trx, journalId, known),
        quotaBytes: this.quotas.journalBytes,
        readNonce: (nonce) => nonces.read(journalId, nonce),
      },
    );

    const scope: BatchScope = {
      trx,
      journalId,
      candidateId: journal.candidate_id,
      exam,
      now,
      deadline: deadlineAfter(exam, locked.extraMinutes, locked.creditMs),
      graceMs: offlineGraceMs(exam),
      extraMinutes: locked.extraMinutes,
      submitted: locked.submitted,
      replaced: journal.state === 'superseded',
      handover: this.options.handover ?? false,
      flags: [],
    };
    if (verdict.overQuota) {
      scope.flags.push(
        serverFlag(
          'records.over-quota',
          {
            candidateId: journal.candidate_id,
            journalId,
            seq: records.find((r) => r.seq > journal.watermark)?.seq ?? null,
          },
          `the journal would exceed ${this.quotas.journalBytes} bytes`,
        ),
      );
    }
    const stored = await storeRecords(scope, verdict.accepted);
    await applyRecords(scope, verdict.accepted);
    // An acknowledgement carries the next nonce; a refusal none.
    const issued = verdict.refusal ? journal.nonce_ordinal : journal.nonce_ordinal + 1;
    const head = verdict.accepted.at(-1)?.record;
    if (head || !verdict.refusal) {
      await saveJournalHead(trx, {
        seq: head?.seq ?? journal.watermark,
        hash: head?.hash ?? journal.head_hash,
        now,
        bytes: verdict.accepted.reduce((sum, { payload }) => sum + payload.length, 0),
        issued,
        returned: verdict.returned.ordinal,
        returnedAt: verdict.returned.issuedAt,
        journalId,
      });
    }
    if (verdict.quarantine) {
      await quarantine(scope, verdict.quarantine.records, verdict.quarantine.reason, {
        usedBytes: journal.quarantined_bytes,
        quotaBytes: this.quotas.quarantineBytes,
      });
    }
    await raiseFlags(trx, scope.flags, now);
    if (verdict.refusal)
      return { kind: 'refused', refusal: verdict.refusal, stored, flags: scope.flags };
    return {
      kind: 'ack',
      ack: await this.ack(scope, head, journal, issued),
      stored,
      flags: scope.flags,
    };
  }

  private async ack(
    scope: BatchScope,
    head: JournalRecord | undefined,
    journal: { watermark: number; head_hash: string; replaced_after: number | null },
    issued: number,
  ): Promise<Ack> {
    const { journalId, now } = scope;
    // Only a candidate who has submitted (before, or in this batch) can have a receipt.
    const receipt = scope.submitted ? await receiptFor(scope.trx, journalId) : null;
    return {
      watermark: head?.seq ?? journal.watermark,
      headHash: head?.hash ?? journal.head_hash,
      nonce: this.options.nonces.issue(journalId, { ordinal: issued, issuedAt: now }),
      serverTime: now,
      ...(receipt ? { receipt } : {}),
      ...(scope.replaced ? { replacedAfter: journal.replaced_after ?? 0 } : {}),
    };
  }
}
