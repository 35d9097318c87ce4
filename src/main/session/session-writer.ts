import type { AnswerValue } from '../../common/answers';
import { answersHash } from '../../common/api';
import type { EventKind, EventPayload } from '../../common/events';
import type { JournalRecord, NewEntry } from '../../common/journal-record';
import type { Phase } from '../../common/session-phase';
import { AnswerCoalescer } from '../answer-coalescer';
import {
  Journal,
  JournalWriteError,
  type JournalOptions,
  type OpenReport,
} from '../journal/journal';
import { logged, type Logger } from '../logger';
import type { Timers } from '../timers';

import { foldRecord, initialRecordState, type SessionRecordState } from './session-record';

/** The journal as everyone but its writer sees it: read only. */
export type JournalView = Pick<
  Journal,
  'headSeq' | 'headHash' | 'anchoredSeq' | 'recordsAfter' | 'hashAt' | 'allRecords'
>;

/** Storage refused a write at `since`; what it refused is kept in memory and retried. */
export interface StorageFailure {
  errno: string;
  since: number;
}

export type WriterChange =
  /** A record is durable and folded into the state. */
  | { kind: 'folded'; record: JournalRecord; phaseBefore: Phase }
  /** Storage began failing, or everything it refused is now durable. */
  | { kind: 'storage' };

export interface SessionWriterOptions {
  timers: Timers;
  logger: Logger;
  /** Called synchronously after each fold and each storage change. */
  onChange: (change: WriterChange) => void;
  /** How often a refused write is tried again (default 2 s). */
  storageRetryMs?: number;
  /** A snapshot after this many records, to bound reopening time (default 1,000). */
  snapshotEvery?: number;
}

/**
 * The only object that appends to the session's journal (DESIGN.md "Session writer"): answers
 * (coalesced while typing), monitoring events, sync nonces and integrity records. Each record
 * is folded into the session state once durable; writes storage refuses are kept in order and
 * retried. Submitting and locking go through its barrier, so every answer acknowledged before
 * them is inside what they seal.
 */
export class SessionWriter {
  private records: SessionRecordState;
  private failure: StorageFailure | null = null;
  private readonly unsaved: NewEntry[] = [];
  private retryTimer: unknown = null;
  private foldedSinceSnapshot = 0;
  private closing = false;
  /** Anchors, one at a time. */
  private anchoring: Promise<void> = Promise.resolve();
  private readonly coalescer: AnswerCoalescer;

  private constructor(
    private readonly log: Journal,
    records: SessionRecordState,
    private readonly options: SessionWriterOptions,
  ) {
    this.records = records;
    this.coalescer = new AnswerCoalescer(
      async (questionId, value) => {
        await this.write('answer.saved', { questionId, value });
      },
      options.timers,
      (error) => error instanceof JournalWriteError,
    );
  }

  /** Opens the journal, rebuilds the state from its snapshot and records, and journals damage. */
  static async open(
    journal: JournalOptions,
    options: SessionWriterOptions,
  ): Promise<SessionWriter> {
    const opened = await Journal.open(journal);
    const writer = new SessionWriter(opened.journal, await restore(opened), options);
    const { tornBytes, altered } = opened.report;
    if (tornBytes !== null) await writer.record('integrity.torn', { droppedBytes: tornBytes });
    if (altered) await writer.record('integrity.altered', altered);
    return writer;
  }

  /** What the journal says so far. */
  get state(): SessionRecordState {
    return this.records;
  }

  get journal(): JournalView {
    return this.log;
  }

  get storageFailure(): StorageFailure | null {
    return this.failure;
  }

  /** A submission or lock is being written: no answer is accepted meanwhile. */
  get closed(): boolean {
    return this.closing;
  }

  /** Questions with a value not yet durable. */
  unsavedQuestions(): string[] {
    return this.coalescer.unsaved();
  }

  /** Appends durably and folds; a storage failure is thrown (and the retry scheduled). */
  write<K extends EventKind>(kind: K, payload: EventPayload<K>): Promise<JournalRecord> {
    return this.writeEntry(this.log.entry(kind, payload));
  }

  /**
   * Appends an event; if storage refuses it, it is kept and written with the next retry. While
   * events wait for the retry, a new one waits behind them: the journal keeps them in the order
   * they happened (the server refuses sync nonces returned out of the order it issued them, so
   * a small nonce that fits on a full disk must not overtake one refused before it).
   */
  async record<K extends EventKind>(kind: K, payload: EventPayload<K>): Promise<void> {
    const entry = this.log.entry(kind, payload);
    if (this.unsaved.length > 0) {
      this.unsaved.push(entry);
      return;
    }
    try {
      await this.writeEntry(entry);
    } catch (error) {
      if (!(error instanceof JournalWriteError)) throw error;
      this.unsaved.push(entry);
    }
  }

  /**
   * Keeps one answer: true once durable (coalesced while typing, at once when `leaving` the
   * question); false when storage failed, in which case the value is kept and retried.
   */
  async saveAnswer(questionId: string, value: AnswerValue, leaving: boolean): Promise<boolean> {
    const saved = this.coalescer.change(questionId, value);
    if (leaving)
      void this.coalescer.flush(questionId).catch(logged(this.options.logger, 'saving on leaving'));
    try {
      await saved;
      return true;
    } catch (error) {
      if (error instanceof JournalWriteError) return false;
      throw error;
    }
  }

  /**
   * Seals the submission behind the barrier: every answer saved so far is journaled, then the
   * hash of them all. False if a seal or lock is already under way; storage failures throw.
   */
  async seal(timeUp = false): Promise<boolean> {
    return this.behindBarrier(async () => {
      await this.coalescer.flush();
      await this.write('submission.sealed', {
        answersHash: answersHash(this.records.answers),
        headSeq: this.log.headSeq,
        ...(timeUp ? { by: 'time-up' as const } : {}),
      });
    });
  }

  /** Pauses the exam as `lock` locks it: what is being typed is saved, then the clock stops. */
  async pause(at: number): Promise<boolean> {
    return this.behindBarrier(async () => {
      await this.coalescer.flush().catch(logged(this.options.logger, 'saving answers to pause'));
      await this.record('exam.paused', { at });
    });
  }

  /** Locks behind the same barrier; an answer that cannot be saved now is retried later. */
  async lock(by: 'invigilator' | 'policy', reason?: string): Promise<boolean> {
    return this.behindBarrier(async () => {
      await this.coalescer.flush().catch(logged(this.options.logger, 'saving answers to lock'));
      await this.record('lock.engaged', reason === undefined ? { by } : { by, reason });
    });
  }

  /**
   * The server acknowledged up to `watermark`: anchor it beside the journal (against deleted
   * lines) and journal its nonce (a bound on the time of every later record). Resolves once
   * both are done; failing either loses nothing but that guard, so failures are logged.
   */
  async acknowledged(ack: {
    watermark: number;
    headHash: string;
    anchorable: boolean;
    nonce: string | null;
  }): Promise<void> {
    if (ack.anchorable && ack.watermark > 0) {
      // One anchor at a time and never backwards.
      this.anchoring = this.anchoring.then(async () => {
        if (ack.watermark <= this.log.anchoredSeq) return;
        await this.log
          .anchor(ack.watermark, ack.headHash)
          .catch(logged(this.options.logger, 'writing the anchor'));
      });
    }
    const anchored = this.anchoring;
    if (ack.nonce !== null) {
      await this.record('sync.nonce', { nonce: ack.nonce }).catch(
        logged(this.options.logger, 'journaling a nonce'),
      );
    }
    await anchored;
  }

  /** Writes what is pending, saves a snapshot and closes the journal. */
  async close(): Promise<void> {
    if (this.retryTimer !== null) this.options.timers.clearTimeout(this.retryTimer);
    this.retryTimer = null;
    await this.coalescer.flush().catch(logged(this.options.logger, 'saving answers on close'));
    await this.anchoring;
    await this.snapshot().catch(logged(this.options.logger, 'snapshot on close'));
    await this.log.close();
  }

  private async behindBarrier(write: () => Promise<void>): Promise<boolean> {
    if (this.closing) return false;
    this.closing = true;
    try {
      await write();
      return true;
    } finally {
      this.closing = false;
    }
  }

  private async writeEntry(entry: NewEntry): Promise<JournalRecord> {
    let record: JournalRecord;
    try {
      record = await this.log.append(entry);
    } catch (error) {
      if (error instanceof JournalWriteError) this.storageFailed(error);
      throw error;
    }
    this.fold(record);
    return record;
  }

  private fold(record: JournalRecord): void {
    const phaseBefore = this.records.phase;
    this.records = foldRecord(this.records, record);
    this.foldedSinceSnapshot += 1;
    if (this.foldedSinceSnapshot >= (this.options.snapshotEvery ?? 1_000)) {
      this.foldedSinceSnapshot = 0;
      void this.snapshot().catch(logged(this.options.logger, 'snapshot'));
    }
    this.options.onChange({ kind: 'folded', record, phaseBefore });
  }

  private async snapshot(): Promise<void> {
    await this.log.snapshot(this.records, this.records.seq);
  }

  private storageFailed(error: JournalWriteError): void {
    if (!this.failure) {
      this.failure = { errno: error.code, since: this.options.timers.now() };
      this.options.onChange({ kind: 'storage' });
    }
    if (this.retryTimer !== null) return;
    this.retryTimer = this.options.timers.setTimeout(() => {
      this.retryTimer = null;
      void this.retry();
    }, this.options.storageRetryMs ?? 2_000);
  }

  /** Writes what storage refused, in order; once all is durable, says so in the journal. */
  private async retry(): Promise<void> {
    const failure = this.failure;
    if (!failure) return;
    try {
      while (this.unsaved.length > 0) {
        await this.writeEntry(this.unsaved[0]!);
        this.unsaved.shift();
      }
      await this.coalescer.flush();
    } catch {
      return; // writeEntry scheduled the next attempt
    }
    if (this.coalescer.unsaved().length > 0) return;
    this.failure = null;
    await this.record('storage.failed', {
      code: failure.errno,
      unsavedMs: Math.max(0, this.options.timers.now() - failure.since),
    });
    this.options.onChange({ kind: 'storage' });
  }
}

/** The state as of the journal's head: the snapshot, then every record after it. */
async function restore({
  journal,
  report,
}: {
  journal: Journal;
  report: OpenReport;
}): Promise<SessionRecordState> {
  let records = initialRecordState();
  const saved = report.snapshotState as Partial<SessionRecordState> | null;
  // A snapshot that is not a whole state is not used: the journal holds everything it did.
  const whole =
    saved !== null &&
    typeof saved === 'object' &&
    Object.keys(records).every((key) => key in saved) &&
    Number.isInteger(saved.seq);
  if (whole) records = saved as SessionRecordState;
  let unfolded: JournalRecord[];
  try {
    unfolded = journal.recordsAfter(records.seq);
  } catch {
    // Open read only what follows the anchor; the state needs what came before it too.
    unfolded = (await journal.allRecords()).filter((record) => record.seq > records.seq);
  }
  for (const record of unfolded) records = foldRecord(records, record);
  return records;
}
