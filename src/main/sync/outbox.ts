import {
  MAX_BATCH_BYTES,
  MAX_BATCH_RECORDS,
  type Ack,
  type Receipt,
  type UploadRequest,
} from '../../common/api';
import type { JournalRecord } from '../../common/journal-record';
import { problem, type Problem, type ProblemCode, type ProblemParams } from '../../common/problems';
import { REFUSAL_ACTIONS, type Refusal } from '../../common/refusals';
import type { Journal } from '../journal/journal';
import type { Logger } from '../logger';
import type { Timers } from '../timers';

import { fullJitterDelay } from './backoff';
import type { Link } from './link';
import type { ApiOutcome } from './server-api';

/** The journal as the outbox sees it: read only. The session writer alone appends. */
export type OutboxJournal = Pick<Journal, 'headSeq' | 'recordsAfter' | 'hashAt'>;

/**
 * What the outbox tells its owner. It never writes the journal: the owner anchors an
 * acknowledgement and journals its nonce.
 */
export type OutboxEvent =
  | {
      kind: 'acknowledged';
      watermark: number;
      headHash: string;
      /** The acknowledged record is among those loaded, so the anchor can be written. */
      anchorable: boolean;
      /** To journal: it bounds the time of every later record (null after a batch of nonces). */
      nonce: string | null;
      receipt: Receipt | null;
      /** The server says another device replaced this journal: records after it do not count. */
      replacedAfter: number | null;
    }
  /** Uploads stopped until `resume()`; the candidate keeps answering. */
  | { kind: 'stopped'; problem: Problem }
  /** The server holds this journal until an invigilator approves the device. */
  | { kind: 'held' }
  | { kind: 'unreachable' };

export interface OutboxOptions {
  journal: OutboxJournal;
  /** `abortable: false` for a batch sent again after it was given up (see ServerApi). */
  upload: (request: UploadRequest, options: { abortable: boolean }) => Promise<ApiOutcome<Ack>>;
  link: Link;
  journalId: string;
  timers: Timers;
  /** The server's watermark as last known (sign-in reply or the anchor). */
  watermark: number;
  /** The server holds the journal for approval (a second device): wait for `approved()`. */
  held?: boolean;
  /** Signs in again after a `token` refusal; true when a new token is in place. */
  renewToken: () => Promise<boolean>;
  /**
   * Told of each event. For `acknowledged` the outbox waits for what is returned before its
   * next batch, so the nonce journaled for it travels in that batch.
   */
  onEvent: (event: OutboxEvent) => Promise<void> | void;
  random?: () => number;
  maxRecords?: number;
  maxBytes?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /**
   * An upload has had no answer for `slowAfterMs` (default 2 s, plus 1 ms per 256 bytes of the
   * batch): the network may have gone silently, which only probes tell quickly (the upload
   * itself waits out its timeout).
   */
  onSlow?: () => void;
  slowAfterMs?: number;
  /** Where a bug that stopped uploads is reported. */
  logger?: Logger;
}

/**
 * Sends the journal records the server has not acknowledged, in order and in bounded batches
 * (DESIGN.md "Sync protocol"). The outbox is the journal, so it survives restarts. Network
 * failures back off with full jitter and are retried for ever; refusals are handled as the
 * closed list says, and a permanent one stops uploads (never answering) with a problem code the
 * candidate's screen puts into words.
 */
export class Outbox {
  private acked: number;
  private stopped: Problem | null = null;
  private held: boolean;
  private lastReceipt: Receipt | null = null;
  private ackedAt: number | null = null;
  private running: Promise<void> | null = null;
  private retryTimer: unknown = null;
  private closed = false;
  private maxRecords: number;
  private readonly maxBytes: number;
  private tokenRenewed = false;
  /**
   * The last upload was given up when the network came back; this one is not given up again
   * (a batch slow on a slow link would otherwise be given up for ever).
   */
  private resending = false;

  constructor(private readonly options: OutboxOptions) {
    this.acked = options.watermark;
    this.held = options.held ?? false;
    this.maxRecords = Math.min(options.maxRecords ?? MAX_BATCH_RECORDS, MAX_BATCH_RECORDS);
    // Leave room for the envelope ({"journalId":…,"records":[…]}).
    this.maxBytes = Math.min(options.maxBytes ?? MAX_BATCH_BYTES, MAX_BATCH_BYTES) - 256;
  }

  /** The last record the server acknowledged. */
  get watermark(): number {
    return this.acked;
  }

  /** Why uploads stopped, or null while they go on. */
  get problem(): Problem | null {
    return this.stopped;
  }

  /** Waiting for an invigilator to approve this device. */
  get waitingForApproval(): boolean {
    return this.held;
  }

  /** The server's receipt of the submission, once an acknowledgement carried one. */
  get receipt(): Receipt | null {
    return this.lastReceipt;
  }

  /** When (local time) the server last acknowledged an upload. */
  get lastAckAt(): number | null {
    return this.ackedAt;
  }

  /** Records the server has not acknowledged. */
  get unsynced(): number {
    return Math.max(0, this.options.journal.headSeq - this.watermark);
  }

  /** Something was appended, or the network may be back: upload unless waiting out a backoff. */
  kick(): void {
    if (this.closed || this.stopped || this.held || this.running) return;
    if (this.retryTimer !== null) return;
    this.running = this.drain()
      .catch((error: unknown) => {
        // A bug, not the network: stop rather than loop, and say so.
        this.options.logger?.warn('uploads stopped', error);
        this.stop('internal');
        this.tell({ kind: 'stopped', problem: this.stopped! });
      })
      .finally(() => {
        this.running = null;
      });
  }

  /** Skips the backoff wait: the server just answered something else (a heartbeat). */
  retryNow(): void {
    if (this.retryTimer !== null) {
      this.options.timers.clearTimeout(this.retryTimer);
      this.retryTimer = null;
    }
    this.kick();
  }

  /** An invigilator approved this device: uploads may start. */
  approved(): void {
    this.held = false;
    this.kick();
  }

  /** After the candidate signed in again: try once more. */
  resume(): void {
    this.stopped = null;
    this.tokenRenewed = false;
    this.retryNow();
  }

  /** Resolves when the upload under way (if any) has finished. */
  async settled(): Promise<void> {
    await this.running;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer !== null) this.options.timers.clearTimeout(this.retryTimer);
    this.retryTimer = null;
    await this.running;
  }

  private async drain(): Promise<void> {
    const { journal, link, timers } = this.options;
    while (!this.closed && !this.stopped && !this.held) {
      let pending: JournalRecord[];
      try {
        pending = journal.recordsAfter(this.acked);
      } catch {
        this.stop('journal');
        return;
      }
      if (pending.length === 0) return;
      const batch = this.takeBatch(pending);
      const slow = timers.setTimeout(() => this.options.onSlow?.(), this.slowAfterMs(batch));
      const outcome = await this.options.upload(
        { journalId: this.options.journalId, records: batch },
        { abortable: !this.resending },
      );
      timers.clearTimeout(slow);
      this.resending = false;
      // Closing waits for this upload: an acknowledgement that arrived is still anchored and
      // its nonce journaled (the owner closes the journal after the outbox).
      if (this.closed && outcome.kind !== 'ok') return;
      switch (outcome.kind) {
        case 'ok':
          link.replied(outcome.sentAt, outcome.receivedAt, outcome.value.serverTime, outcome.order);
          this.tokenRenewed = false;
          await this.acknowledged(outcome.value, batch, outcome.receivedAt);
          break;
        case 'unreachable':
          // Given up because the network came back after it was sent: send again at once.
          if (outcome.aborted) {
            this.resending = true;
            break;
          }
          link.failed(timers.now(), outcome.order);
          this.scheduleRetry();
          this.tell({ kind: 'unreachable' });
          return;
        case 'refused':
          link.reached(timers.now());
          if (!(await this.refused(outcome.refusal, batch))) {
            if (this.stopped) this.tell({ kind: 'stopped', problem: this.stopped });
            return;
          }
          break;
        case 'rejected':
          link.reached(timers.now());
          if (outcome.code === 'awaiting-approval') {
            this.held = true;
            this.tell({ kind: 'held' });
          } else {
            this.stop('upload-rejected', { serverCode: outcome.code.slice(0, 60) });
            this.tell({ kind: 'stopped', problem: this.stopped! });
          }
          return;
      }
    }
  }

  /**
   * How long an upload may go unanswered before the network is suspected: 2 s, and more for a
   * large batch (256 KiB/s assumed), so a backlog on a slow link is not given up as dead.
   */
  private slowAfterMs(batch: readonly JournalRecord[]): number {
    const base = this.options.slowAfterMs ?? 2_000;
    let bytes = 0;
    for (const record of batch) bytes += Buffer.byteLength(JSON.stringify(record.payload));
    return base + Math.round(bytes / 256);
  }

  /** The longest prefix of `pending` within the record and byte bounds (at least one record). */
  private takeBatch(pending: JournalRecord[]): JournalRecord[] {
    let bytes = 0;
    let count = 0;
    for (const record of pending) {
      if (count >= this.maxRecords) break;
      const size = Buffer.byteLength(JSON.stringify(record)) + 1;
      if (count > 0 && bytes + size > this.maxBytes) break;
      bytes += size;
      count += 1;
    }
    return pending.slice(0, count);
  }

  private async acknowledged(ack: Ack, batch: JournalRecord[], receivedAt: number): Promise<void> {
    const { journal } = this.options;
    const ours = ack.watermark > 0 ? journal.hashAt(ack.watermark) : null;
    if (ack.watermark > journal.headSeq || (ours !== null && ours !== ack.headHash)) {
      this.stop('journal');
      this.tell({ kind: 'stopped', problem: this.stopped! });
      return;
    }
    this.acked = ack.watermark;
    this.ackedAt = receivedAt;
    if (ack.receipt) this.lastReceipt = ack.receipt;
    await this.options.onEvent({
      kind: 'acknowledged',
      watermark: ack.watermark,
      headHash: ack.headHash,
      anchorable: ours !== null,
      // A nonce from a batch of nonces alone is not journaled, or every upload would cause another.
      nonce: batch.some((record) => record.kind !== 'sync.nonce') ? ack.nonce : null,
      receipt: ack.receipt ?? null,
      replacedAfter: ack.replacedAfter ?? null,
    });
  }

  /** Acts on a refusal; true when the drain should go on at once. */
  private async refused(refusal: Refusal, batch: JournalRecord[]): Promise<boolean> {
    // The closed list's own table says what to do (refusals.ts), so a code added there cannot
    // be forgotten here: every action is handled, and the rest stop uploads.
    switch (REFUSAL_ACTIONS[refusal.code]) {
      case 'resend-from-expected-seq': {
        if (refusal.code !== 'gap') return this.stopFor(refusal);
        const needed = refusal.expectedSeq - 1;
        if (needed > this.options.journal.headSeq) {
          this.stop('journal');
          return false;
        }
        if (needed === this.acked) {
          // The server asks for what was just sent: let it settle, then try again.
          this.options.link.failed(this.options.timers.now());
          this.scheduleRetry();
          return false;
        }
        this.acked = needed;
        return true;
      }
      case 'split-batch':
        if (refusal.code !== 'too-large') return this.stopFor(refusal);
        if (batch.length === 1) {
          this.stop('too-large', { seq: batch[0]!.seq });
          return false;
        }
        this.maxRecords = Math.max(1, Math.min(refusal.maxRecords, Math.floor(batch.length / 2)));
        return true;
      case 'sign-in-again':
        if (!this.tokenRenewed && (await this.options.renewToken())) {
          this.tokenRenewed = true;
          return true;
        }
        this.stop('token');
        return false;
      case 'stop-and-fetch-exam-again':
      case 'stop-and-update-client':
      case 'stop-and-contact-invigilator':
        return this.stopFor(refusal);
    }
  }

  /** Tells the owner of an event the outbox need not wait for. */
  private tell(event: Exclude<OutboxEvent, { kind: 'acknowledged' }>): void {
    void Promise.resolve(this.options.onEvent(event)).catch((error: unknown) =>
      this.options.logger?.warn('handling an outbox event', error),
    );
  }

  private stopFor(refusal: Refusal): false {
    this.stopped = refusalProblem(refusal);
    return false;
  }

  private stop(code: ProblemCode, params: ProblemParams = {}): void {
    this.stopped = problem(code, params);
  }

  private scheduleRetry(): void {
    const { timers, link } = this.options;
    const delay = fullJitterDelay(
      Math.max(0, link.attempt - 1),
      this.options.baseDelayMs ?? 500,
      this.options.maxDelayMs ?? 30_000,
      this.options.random,
    );
    this.retryTimer = timers.setTimeout(() => {
      this.retryTimer = null;
      this.kick();
    }, delay);
  }
}

/** The problem a refusal that stops uploads is: its own code, with what the words need. */
function refusalProblem(refusal: Refusal): Problem {
  switch (refusal.code) {
    case 'gap':
      return problem('journal');
    case 'client-too-old':
      return problem(refusal.code, { minimumVersion: refusal.minimumVersion });
    case 'fork':
    case 'chain':
      return problem(refusal.code, { seq: refusal.seq });
    case 'quota':
      return problem(refusal.code, { limitBytes: refusal.limitBytes });
    case 'too-large':
      return problem(refusal.code, { maxRecords: refusal.maxRecords });
    default:
      return problem(refusal.code);
  }
}
