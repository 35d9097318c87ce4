import {
  MAX_BATCH_BYTES,
  MAX_BATCH_RECORDS,
  type Ack,
  type Receipt,
  type UploadRequest,
} from '../../common/api';
import type { JournalRecord } from '../../common/journal-record';
import { REFUSAL_ACTIONS, type Refusal } from '../../common/refusals';
import type { Journal } from '../journal/journal';
import { consoleLogger, logged, type Logger } from '../logger';
import type { Timers } from '../timers';

import { fullJitterDelay } from './backoff';
import type { Link } from './link';
import type { ApiOutcome } from './server-api';

/** Why uploads stopped; the candidate keeps answering, and the UI shows the message. */
export interface OutboxProblem {
  code: string;
  message: string;
}

export interface OutboxOptions {
  journal: Journal;
  upload: (request: UploadRequest) => Promise<ApiOutcome<Ack>>;
  link: Link;
  journalId: string;
  timers: Timers;
  /** The server's watermark as last known (sign-in reply or the anchor). */
  watermark: number;
  /** Signs in again after a `token` refusal; true when a new token is in place. */
  renewToken: () => Promise<boolean>;
  /** Called whenever the watermark, a problem or the receipt changes. */
  onChange: () => void;
  random?: () => number;
  maxRecords?: number;
  maxBytes?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Where what was caught and carried on from is reported (default: the console). */
  logger?: Logger;
}

const KEPT_HERE = 'Your answers are kept on this computer.';
const STOP_MESSAGES: Record<string, string> = {
  'config-key': `The exam settings on this computer differ from the server's: sign in again to fetch the exam. ${KEPT_HERE}`,
  'client-too-old': `This version of Vakt is too old for the exam server: ask for the update. ${KEPT_HERE}`,
  token: `Your sign-in has expired: sign in again. ${KEPT_HERE}`,
  fork: `The server could not accept this computer's records: contact the invigilator. ${KEPT_HERE}`,
  chain: `The server could not accept this computer's records: contact the invigilator. ${KEPT_HERE}`,
  nonce: `The server could not accept this computer's records: contact the invigilator. ${KEPT_HERE}`,
  quota: `This computer has sent more than the server keeps for one exam: contact the invigilator, who can take a hand-in file. ${KEPT_HERE}`,
  journal: `This computer's records and the server's disagree: contact the invigilator, who can take a hand-in file. ${KEPT_HERE}`,
};

/**
 * Sends the journal records the server has not acknowledged, in order and in bounded batches
 * (DESIGN.md "Sync protocol"). The outbox is the journal, so it survives restarts. Network
 * failures back off with full jitter and are retried for ever; refusals are handled as the
 * closed list says, and a permanent one stops uploads (never answering) with a problem the
 * candidate can act on.
 */
export class Outbox {
  watermark: number;
  problem: OutboxProblem | null = null;
  waitingForApproval = false;
  receipt: Receipt | null = null;
  private running: Promise<void> | null = null;
  private retryTimer: unknown = null;
  private closed = false;
  private maxRecords: number;
  private readonly maxBytes: number;
  private tokenRenewed = false;

  constructor(private readonly options: OutboxOptions) {
    this.watermark = options.watermark;
    this.maxRecords = Math.min(options.maxRecords ?? MAX_BATCH_RECORDS, MAX_BATCH_RECORDS);
    // Leave room for the envelope ({"journalId":…,"records":[…]}).
    this.maxBytes = Math.min(options.maxBytes ?? MAX_BATCH_BYTES, MAX_BATCH_BYTES) - 256;
  }

  /** Records the server has not acknowledged. */
  get unsynced(): number {
    return Math.max(0, this.options.journal.headSeq - this.watermark);
  }

  /** Something was appended, or the network may be back: upload unless waiting out a backoff. */
  kick(): void {
    if (this.closed || this.problem || this.waitingForApproval || this.running) return;
    if (this.retryTimer !== null) return;
    this.running = this.drain()
      .catch((error: unknown) => {
        // A bug, not the network: stop rather than loop, and say so.
        this.stop('internal', `Uploads stopped (${String(error)}). ${KEPT_HERE}`);
        this.options.onChange();
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
    this.waitingForApproval = false;
    this.kick();
  }

  /** After the candidate signed in again: try once more. */
  resume(): void {
    this.problem = null;
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
    while (!this.closed && !this.problem && !this.waitingForApproval) {
      let pending: JournalRecord[];
      try {
        pending = journal.recordsAfter(this.watermark);
      } catch {
        this.stop('journal');
        return;
      }
      if (pending.length === 0) return;
      const batch = this.takeBatch(pending);
      const outcome = await this.options.upload({
        journalId: this.options.journalId,
        records: batch,
      });
      if (this.closed) return;
      switch (outcome.kind) {
        case 'ok':
          link.replied(outcome.sentAt, outcome.receivedAt, outcome.value.serverTime);
          this.tokenRenewed = false;
          await this.acknowledged(outcome.value, batch, outcome.receivedAt);
          break;
        case 'unreachable':
          link.failed(timers.now());
          this.scheduleRetry();
          this.options.onChange();
          return;
        case 'refused':
          link.reached(timers.now());
          if (!(await this.refused(outcome.refusal, batch))) {
            this.options.onChange();
            return;
          }
          break;
        case 'rejected':
          link.reached(timers.now());
          if (outcome.code === 'awaiting-approval') this.waitingForApproval = true;
          else this.stop(outcome.code, `${outcome.message} ${KEPT_HERE}`);
          this.options.onChange();
          return;
      }
      this.options.onChange();
    }
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
    if (ack.watermark > journal.headSeq) {
      this.stop('journal');
      return;
    }
    if (ack.watermark > 0) {
      const ours = journal.hashAt(ack.watermark);
      if (ours !== null && ours !== ack.headHash) {
        this.stop('journal');
        return;
      }
      if (ours !== null) {
        // The anchor guards against deleted last lines; failing to write it loses nothing.
        await journal
          .anchor(ack.watermark, ack.headHash)
          .catch(logged(this.options.logger ?? consoleLogger, 'writing the anchor'));
      }
    }
    this.watermark = ack.watermark;
    this.options.link.lastAckAt = receivedAt;
    if (ack.receipt) this.receipt = ack.receipt;
    // Journal the nonce: it bounds the time of every later record. A nonce from a batch of
    // nonces alone is not journaled, or every upload would cause another.
    if (batch.some((record) => record.kind !== 'sync.nonce')) {
      // A failed write loses only this nonce's time bound; storage failures surface elsewhere.
      await journal
        .append(journal.entry('sync.nonce', { nonce: ack.nonce }))
        .catch(logged(this.options.logger ?? consoleLogger, 'journaling a nonce'));
    }
  }

  /** Acts on a refusal; true when the drain should go on at once. */
  private async refused(refusal: Refusal, batch: JournalRecord[]): Promise<boolean> {
    // The closed list's own table says what to do (refusals.ts), so a code added there cannot
    // be forgotten here: every action is handled, and the rest stop uploads.
    switch (REFUSAL_ACTIONS[refusal.code]) {
      case 'resend-from-expected-seq': {
        if (refusal.code !== 'gap') return this.stopFor(refusal.code);
        const needed = refusal.expectedSeq - 1;
        if (needed > this.options.journal.headSeq) {
          this.stop('journal');
          return false;
        }
        if (needed === this.watermark) {
          // The server asks for what was just sent: let it settle, then try again.
          this.options.link.failed(this.options.timers.now());
          this.scheduleRetry();
          return false;
        }
        this.watermark = needed;
        return true;
      }
      case 'split-batch':
        if (refusal.code !== 'too-large') return this.stopFor(refusal.code);
        if (batch.length === 1) {
          this.stop(
            'too-large',
            `Record ${batch[0]!.seq} is too large for the server. ${KEPT_HERE}`,
          );
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
        return this.stopFor(refusal.code);
    }
  }

  private stopFor(code: string): false {
    this.stop(code);
    return false;
  }

  private stop(code: string, message = STOP_MESSAGES[code] ?? `Uploads stopped (${code}).`): void {
    this.problem = { code, message };
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
