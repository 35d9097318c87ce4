import { createHash } from 'node:crypto';
import { join } from 'node:path';

import { canonicalJson } from '../../common/canonical-json';
import type { EventKind, EventPayload } from '../../common/events';
import {
  chainRecord,
  findChainBreak,
  type JournalRecord,
  type NewEntry,
} from '../../common/journal-record';
import { findMalformedText, MALFORMED_TEXT_MESSAGE } from '../../common/well-formed';
import type { AppendFile, FsPort } from '../fs-port';

import { LineCipher } from './line-cipher';

export const JOURNAL_FILE = 'journal.log';
const ANCHOR_FILE = 'anchor.json';
const SNAPSHOT_FILE = 'snapshot.json';
const NEWLINE = 0x0a;

export interface JournalClock {
  now(): number;
  mono(): number;
}

export interface JournalOptions {
  fs: FsPort;
  dir: string;
  journalId: string;
  key: Uint8Array;
  clock: JournalClock;
}

/** Where a record ends in the file, and which record it is: enough to start reading after it. */
interface Mark {
  seq: number;
  hash: string;
  offset: number;
}

export interface OpenReport {
  /** Bytes of a final line without its newline (an append cut short), dropped. */
  tornBytes: number | null;
  /** The first line that failed decryption or broke the chain, or a journal shorter than the anchor. */
  altered: { line: number; reason: 'decrypt' | 'chain' | 'truncated' } | null;
  /** The caller's state saved with the last snapshot, if any. */
  snapshotState: unknown;
}

/** An append that did not reach the disk; the journal is unchanged and the append can be retried. */
export class JournalWriteError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'JournalWriteError';
  }
}

/** An entry that cannot become a record (refused alone; not a storage failure, not retried). */
export class JournalRecordError extends Error {
  readonly code = 'bad-record';
  constructor(kind: string, problem: string) {
    super(`A ${kind} record could not be saved: ${problem}`);
    this.name = 'JournalRecordError';
  }
}

interface Pending {
  entry: NewEntry;
  resolve: (record: JournalRecord) => void;
  reject: (error: unknown) => void;
}

/**
 * The append-only, encrypted, hash-chained journal of one exam session (DESIGN.md "Journal").
 * An append resolves only after fsync of the file (and of its folder when the file is new);
 * appends that arrive together share one fsync. Records are built when they are written, so a
 * failed write leaves no gap: the head only moves once the bytes are durable.
 */
export class Journal {
  /** The server's watermark as last anchored beside the journal: where uploads resume. */
  anchoredSeq = 0;
  private readonly queue: Pending[] = [];
  private flushing: Promise<void> | null = null;
  private closed = false;

  private constructor(
    private readonly options: JournalOptions,
    private readonly file: AppendFile,
    private readonly cipher: LineCipher,
    /** Records loaded at open and appended since: every record after the anchor or snapshot. */
    private readonly loaded: JournalRecord[],
    private readonly ends: number[],
    private head: Mark | null,
    private durableSize: number,
  ) {}

  static async open(options: JournalOptions): Promise<{ journal: Journal; report: OpenReport }> {
    const { fs, dir, journalId, key } = options;
    await fs.mkdir(dir);
    const cipher = new LineCipher(key, `vakt-journal:${journalId}`);
    const snapshotCipher = new LineCipher(key, `vakt-snapshot:${journalId}`);
    const path = join(dir, JOURNAL_FILE);
    const bytes = (await fs.readFile(path)) ?? new Uint8Array();
    const anchor = await readMark(fs, join(dir, ANCHOR_FILE));
    const snapshot = await readSnapshot(fs, join(dir, SNAPSHOT_FILE), snapshotCipher);

    // Start after the earliest trustworthy mark: records before it were verified when it was
    // written; records after it are verified now. Everything the server has not acknowledged
    // must be loaded, for the outbox sends it: with no usable anchor nothing is known to be
    // acknowledged, so reading starts at the first record whatever the snapshot says.
    const fits = (mark: Mark | null): mark is Mark =>
      mark !== null &&
      mark.offset <= bytes.length &&
      (mark.offset === 0 || bytes[mark.offset - 1] === NEWLINE);
    const start = fits(anchor)
      ? [anchor, snapshot?.mark ?? null]
          .filter(fits)
          .reduce((earliest, mark) => (mark.offset < earliest.offset ? mark : earliest))
      : null;

    const report: OpenReport = {
      tornBytes: null,
      altered: null,
      snapshotState: snapshot?.state ?? null,
    };
    const loaded: JournalRecord[] = [];
    const ends: number[] = [];
    let head: Mark | null = start;
    let offset = start?.offset ?? 0;
    while (offset < bytes.length) {
      const end = bytes.indexOf(NEWLINE, offset);
      if (end === -1) {
        report.tornBytes = bytes.length - offset;
        break;
      }
      const expectedSeq = (head?.seq ?? 0) + 1;
      const text = cipher.open(
        Buffer.from(bytes.buffer, bytes.byteOffset + offset, end - offset).toString('latin1'),
      );
      // The line decrypted with our key, so we wrote it; the chain check below proves it is the
      // line we wrote. A shape check suffices here (a full schema parse tripled reopening time).
      const record = text === null ? null : parseRecordShape(text);
      if (!record) {
        report.altered = { line: expectedSeq, reason: 'decrypt' };
        break;
      }
      if (findChainBreak([record], head, nodeSha256Hex) !== null) {
        report.altered = { line: expectedSeq, reason: 'chain' };
        break;
      }
      loaded.push(record);
      ends.push(end + 1);
      head = { seq: record.seq, hash: record.hash, offset: end + 1 };
      offset = end + 1;
    }
    const goodSize = head?.offset ?? 0;
    if (report.altered) {
      // Keep the whole damaged file as evidence; the journal continues from its good prefix.
      await fs.writeFileAtomic(join(dir, `journal.altered-${options.clock.now()}.log`), bytes);
    }
    if (!report.altered && anchor && anchor.seq > (head?.seq ?? 0)) {
      report.altered = { line: (head?.seq ?? 0) + 1, reason: 'truncated' };
    }

    const { file, created } = await fs.openAppend(path);
    if (goodSize < bytes.length) {
      await file.truncate(goodSize);
      await file.sync();
    }
    if (created) await fs.syncDir(dir);
    const journal = new Journal(options, file, cipher, loaded, ends, head, goodSize);
    journal.anchoredSeq = fits(anchor) ? Math.min(anchor.seq, journal.headSeq) : 0;
    // The report says what was dropped; the session writer journals it (it alone appends).
    return { journal, report };
  }

  /** A new entry stamped with the journal's clocks. */
  entry<K extends EventKind>(kind: K, payload: EventPayload<K>): NewEntry<K> {
    return {
      kind,
      payload,
      at: this.options.clock.now(),
      mono: Math.round(this.options.clock.mono()),
    };
  }

  /**
   * Appends durably; resolves with the stored record once it is on stable storage. An entry
   * that cannot be a record (text with a lone surrogate, a value JSON cannot hold) is refused
   * at once with JournalRecordError, and only that entry: appends before and after it go on.
   */
  append(entry: NewEntry): Promise<JournalRecord> {
    if (this.closed)
      return Promise.reject(new JournalWriteError('closed', 'The journal is closed.'));
    const problem = recordProblem(entry);
    if (problem !== null) return Promise.reject(new JournalRecordError(entry.kind, problem));
    return new Promise((resolve, reject) => {
      this.queue.push({ entry, resolve, reject });
      this.flushing ??= this.flush();
    });
  }

  get headSeq(): number {
    return this.head?.seq ?? 0;
  }

  get headHash(): string | null {
    return this.head?.hash ?? null;
  }

  /** Records after `seq` (those the server has not acknowledged), in order. */
  recordsAfter(seq: number): JournalRecord[] {
    const first = this.loaded[0]?.seq ?? this.headSeq + 1;
    if (seq + 1 < first)
      throw new Error(`records before ${first} were not loaded; the anchor is older than ${seq}`);
    return this.loaded.filter((record) => record.seq > seq);
  }

  /**
   * Every durable record from seq 1, read and decrypted now (open reads only what follows the
   * anchor or snapshot): for a hand-in file, which must carry the whole journal.
   */
  async allRecords(): Promise<JournalRecord[]> {
    await this.flushing;
    const bytes =
      (await this.options.fs.readFile(join(this.options.dir, JOURNAL_FILE))) ?? new Uint8Array();
    const records: JournalRecord[] = [];
    let offset = 0;
    const end = Math.min(this.durableSize, bytes.length);
    while (offset < end) {
      const lineEnd = bytes.indexOf(NEWLINE, offset);
      if (lineEnd === -1 || lineEnd >= end) break;
      const text = this.cipher.open(
        Buffer.from(bytes.buffer, bytes.byteOffset + offset, lineEnd - offset).toString('latin1'),
      );
      const record = text === null ? null : parseRecordShape(text);
      if (!record || findChainBreak([record], records.at(-1) ?? null, nodeSha256Hex) !== null) {
        throw new Error(`The journal is damaged at record ${records.length + 1}.`);
      }
      records.push(record);
      offset = lineEnd + 1;
    }
    return records;
  }

  /** The hash of record `seq`, if it is among the records loaded since the anchor or snapshot. */
  hashAt(seq: number): string | null {
    const first = this.loaded[0]?.seq;
    if (first === undefined || seq < first) return null;
    return this.loaded[seq - first]?.hash ?? null;
  }

  /** Keeps the server's acknowledgement beside the journal: the anchor against deleted lines. */
  async anchor(watermark: number, hash: string): Promise<void> {
    const index = this.loaded.findIndex((record) => record.seq === watermark);
    if (index === -1 || this.loaded[index]!.hash !== hash) {
      throw new Error(
        `the server acknowledged record ${watermark} with a hash this journal does not have`,
      );
    }
    const mark: Mark = { seq: watermark, hash, offset: this.ends[index]! };
    await this.options.fs.writeFileAtomic(
      join(this.options.dir, ANCHOR_FILE),
      Buffer.from(JSON.stringify(mark)),
    );
    this.anchoredSeq = watermark;
  }

  /**
   * Saves the caller's state as of record `seq` (default: the head), encrypted, to bound
   * reopening time: the next open reads only the records after it (or after the anchor).
   */
  async snapshot(state: unknown, seq = this.headSeq): Promise<void> {
    const index = this.loaded.findIndex((record) => record.seq === seq);
    if (index === -1) return;
    const mark: Mark = { seq, hash: this.loaded[index]!.hash, offset: this.ends[index]! };
    const cipher = new LineCipher(this.options.key, `vakt-snapshot:${this.options.journalId}`);
    const text = cipher.seal(canonicalJson({ mark, state }));
    await this.options.fs.writeFileAtomic(join(this.options.dir, SNAPSHOT_FILE), Buffer.from(text));
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.flushing;
    await this.file.close();
  }

  private async flush(): Promise<void> {
    // Let appends made in the same turn join this write and share its fsync.
    await Promise.resolve();
    while (this.queue.length > 0) {
      const taken = this.queue.splice(0);
      try {
        await this.writeBatch(taken);
      } catch (error) {
        // Nothing may leave the loop without clearing `flushing` below, or every later
        // append — answers included — would wait for ever. (Already settled ones stay so.)
        for (const pending of taken)
          pending.reject(new JournalWriteError('EIO', `The journal failed: ${String(error)}`));
      }
    }
    // In the same turn as the last check of the queue, so no append can slip in between.
    this.flushing = null;
  }

  /** Chains, writes and syncs one batch; settles each of its appends. */
  private async writeBatch(taken: Pending[]): Promise<void> {
    const batch: Pending[] = [];
    const records: JournalRecord[] = [];
    const lines: Buffer[] = [];
    let previous: Pick<JournalRecord, 'seq' | 'hash'> | null = this.head;
    for (const pending of taken) {
      try {
        const record = chainRecord(previous, pending.entry, nodeSha256Hex);
        lines.push(Buffer.from(`${this.cipher.seal(canonicalJson(record))}\n`));
        records.push(record);
        batch.push(pending);
        previous = record;
      } catch (error) {
        // Checked at the door already; refused alone if anything still slips through.
        pending.reject(new JournalRecordError(pending.entry.kind, (error as Error).message));
      }
    }
    if (batch.length === 0) return;
    try {
      await this.file.append(Buffer.concat(lines));
      await this.file.sync();
    } catch (error) {
      await this.rollBack();
      const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
      for (const pending of batch)
        pending.reject(new JournalWriteError(code, describeWriteError(code)));
      return;
    }
    let end = this.durableSize;
    records.forEach((record, index) => {
      end += lines[index]!.length;
      this.loaded.push(record);
      this.ends.push(end);
    });
    this.durableSize = end;
    const last = records[records.length - 1]!;
    this.head = { seq: last.seq, hash: last.hash, offset: end };
    batch.forEach((pending, index) => pending.resolve(records[index]!));
  }

  /** After a failed write, cut the file back to what was durable so no partial line remains. */
  private async rollBack(): Promise<void> {
    try {
      await this.file.truncate(this.durableSize);
      await this.file.sync();
    } catch {
      // If even this fails, the next open finds a torn or altered tail and says so.
    }
  }
}

/** Why `entry` cannot be journaled, or null when it can. */
function recordProblem(entry: NewEntry): string | null {
  const where = findMalformedText(entry.payload);
  if (where !== null) return `payload${where} ${MALFORMED_TEXT_MESSAGE}`;
  try {
    canonicalJson(entry.payload);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

function describeWriteError(code: string): string {
  switch (code) {
    case 'ENOSPC':
      return 'The disk is full, so the last change could not be saved. Free some space; Vakt keeps trying.';
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return 'Vakt may not write to its folder, so the last change could not be saved. Ask the invigilator.';
    default:
      return `The last change could not be saved (${code}). Vakt keeps trying.`;
  }
}

/** The same SHA-256 as src/common's, from Node's native crypto. */
function nodeSha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function parseRecordShape(text: string): JournalRecord | null {
  try {
    const value = JSON.parse(text) as Partial<JournalRecord> | null;
    if (
      value === null ||
      typeof value !== 'object' ||
      !Number.isInteger(value.seq) ||
      typeof value.kind !== 'string' ||
      !Number.isInteger(value.at) ||
      !Number.isInteger(value.mono) ||
      typeof value.prev !== 'string' ||
      typeof value.hash !== 'string' ||
      !('payload' in value)
    ) {
      return null;
    }
    return value as JournalRecord;
  } catch {
    return null;
  }
}

async function readMark(fs: FsPort, path: string): Promise<Mark | null> {
  const bytes = await fs.readFile(path);
  if (!bytes) return null;
  try {
    const mark = JSON.parse(Buffer.from(bytes).toString('utf8')) as Mark;
    return Number.isInteger(mark.seq) &&
      Number.isInteger(mark.offset) &&
      typeof mark.hash === 'string'
      ? mark
      : null;
  } catch {
    return null;
  }
}

async function readSnapshot(
  fs: FsPort,
  path: string,
  cipher: LineCipher,
): Promise<{ mark: Mark; state: unknown } | null> {
  const bytes = await fs.readFile(path);
  const text = bytes ? cipher.open(Buffer.from(bytes).toString('utf8')) : null;
  if (!text) return null;
  const snapshot = JSON.parse(text) as { mark: Mark; state: unknown };
  return snapshot.mark && Number.isInteger(snapshot.mark.offset) ? snapshot : null;
}
