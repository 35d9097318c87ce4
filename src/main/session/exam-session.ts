import { randomUUID } from 'node:crypto';

import type { AnswerValue } from '../../common/answers';
import {
  answersHash,
  type HeartbeatResponse,
  type Instruction,
  type SignedExamPackage,
} from '../../common/api';
import { configKey } from '../../common/config-key';
import { answerProblem } from '../../common/content';
import type { EventKind, EventPayload } from '../../common/events';
import type { ClientState } from '../../common/ipc';
import { journalSigningKey } from '../../common/journal-key';
import type { JournalRecord, NewEntry } from '../../common/journal-record';
import { verifyCanonical } from '../../common/signing';
import { AnswerCoalescer } from '../answer-coalescer';
import { projectClientState } from '../client-state';
import { deviceIdHash, type MachineIdSource } from '../device-identity';
import { verifyExitCode } from '../exit-code';
import type { FsPort } from '../fs-port';
import { IpcFailure } from '../ipc-dispatch';
import { Journal, JournalWriteError } from '../journal/journal';
import type { KeyProvider } from '../key-provider';
import { consoleLogger, logged, type Logger } from '../logger';
import { Heartbeat } from '../sync/heartbeat';
import { Link, type LinkTransition } from '../sync/link';
import { Outbox, type OutboxOptions } from '../sync/outbox';
import type { ServerApi } from '../sync/server-api';
import type { Timers } from '../timers';

import { DeadlineTimer } from './deadline-timer';
import { exportHandIn } from './hand-in-export';
import {
  clearCurrentSession,
  clearPendingSignIn,
  pendingJournalId,
  currentJournalId,
  loadSessionFile,
  markCurrentSession,
  saveSessionFile,
  sessionDir,
  type SessionFile,
} from './session-file';
import { foldRecord, initialRecordState, type SessionRecordState } from './session-record';

export interface Credentials {
  examCode: string;
  candidateNumber: string;
  personalCode: string;
}

export interface ExamSessionOptions {
  api: ServerApi;
  fs: FsPort;
  dataDir: string;
  keys: KeyProvider;
  timers: Timers;
  /** A monotonic clock in ms (performance.now in production). */
  mono: () => number;
  clientVersion: string;
  /** The server's Ed25519 key from the managed config; a package signed otherwise is refused. */
  pinnedPublicKey: string;
  machineId?: MachineIdSource;
  onState: (state: ClientState) => void;
  /** Batch bounds and backoff (tests make them small). */
  sync?: Pick<OutboxOptions, 'maxRecords' | 'maxBytes' | 'baseDelayMs' | 'maxDelayMs' | 'random'>;
  /** Overrides the policy's heartbeat interval. */
  heartbeatIntervalMs?: number;
  /** How often a failed write is retried while storage fails. */
  storageRetryMs?: number;
  /** A snapshot after this many records, to bound reopening time. */
  snapshotEvery?: number;
  /** How often a second device asks whether it has been approved. */
  approvalPollMs?: number;
  /** Where what was caught and carried on from is reported (default: the console). */
  logger?: Logger;
}

/** Everything that exists only while someone is signed in. */
interface Active {
  file: SessionFile;
  key: Uint8Array;
  journal: Journal;
  link: Link;
  outbox: Outbox;
  heartbeat: Heartbeat;
  coalescer: AnswerCoalescer;
  /** Kept in memory only, to sign in again when the token expires. */
  personalCode: string | null;
}

interface StorageProblem {
  code: string;
  message: string;
  since: number;
}

const NOT_SIGNED_IN = new IpcFailure('not-signed-in', 'Sign in first.');

/**
 * The exam session (DESIGN.md "Exam session"): signed-out → preflight → in-progress ⇄ locked →
 * submitting → submitted, with connectivity as a sub-state. The journal is its only memory:
 * every state change is a record, folded into the state once durable, so a restarted client
 * resumes where the disk says. Uploading never blocks answering.
 */
export class ExamSession {
  private active: Active | null = null;
  private records: SessionRecordState = initialRecordState();
  private storage: StorageProblem | null = null;
  private readonly unsaved: NewEntry[] = [];
  private storageTimer: unknown = null;
  private readonly deadlineTimer: DeadlineTimer;
  private foldedSinceSnapshot = 0;
  private emitPending = false;
  /** Signed in on a second device that an invigilator has not approved yet. */
  private awaitingApproval = false;
  /** Submitting or locking at time-up: no answer is accepted (the submission barrier). */
  private closing = false;

  constructor(private readonly options: ExamSessionOptions) {
    this.deadlineTimer = new DeadlineTimer(
      options.timers,
      () => this.serverNow(),
      () => void this.timeUp(),
    );
  }

  private logged(message: string): (error: unknown) => undefined {
    return logged(this.options.logger ?? consoleLogger, message);
  }

  /** What the candidate UI shows. */
  state(): ClientState {
    const active = this.active;
    return projectClientState({
      awaitingApproval: this.awaitingApproval,
      session: active && {
        records: this.records,
        content: active.file.signed.package.content,
        receipt: active.file.receipt,
        connectivity: active.link.connectivity,
        lastAckAt: active.link.lastAckAt,
        unsyncedRecords: active.outbox.unsynced,
        storageProblem: this.storage,
        uploadProblem: active.outbox.problem,
        seeding: active.outbox.waitingForApproval,
      },
    });
  }

  /** The journal of the session, once signed in. */
  get journalId(): string | null {
    return this.active?.file.journalId ?? null;
  }

  /** The verified exam package of the session, once signed in. */
  get examPackage(): SignedExamPackage['package'] | null {
    return this.active?.file.signed.package ?? null;
  }

  /** The server's clock now, as well as this client knows it. */
  serverNow(): number {
    const now = this.options.timers.now();
    return this.active ? this.active.link.serverNow(now) : now;
  }

  /** Picks up the session a crash or restart interrupted; false when there is none. */
  async resume(): Promise<boolean> {
    const { fs, dataDir, keys } = this.options;
    const journalId = await currentJournalId(fs, dataDir);
    if (!journalId) return false;
    const key = await keys.journalKey(journalId);
    const file = await loadSessionFile(fs, dataDir, journalId, key);
    if (!file || !this.verified(file.signed)) return false;
    await this.activate(file, key, null, 'active');
    return true;
  }

  async signIn(credentials: Credentials): Promise<ClientState> {
    if (this.active) return this.signInAgain(credentials);
    const { api, fs, dataDir } = this.options;
    const examCode = credentials.examCode.trim().toUpperCase();
    const candidateNumber = credentials.candidateNumber.trim();
    const journalId = await pendingJournalId(
      fs,
      dataDir,
      { examCode, candidateNumber },
      randomUUID(),
    );
    const key = await this.options.keys.journalKey(journalId);
    const signIn = await api.signIn({
      examCode,
      candidateNumber,
      personalCode: credentials.personalCode,
      journalId,
      // The exam id is not known before sign-in; the exam code identifies the exam as well.
      deviceIdHash: await deviceIdHash(examCode, this.options.machineId),
      journalPublicKey: journalSigningKey(key, journalId).publicKey,
      clientVersion: this.options.clientVersion,
    });
    if (signIn.kind !== 'ok') throw failureOf(signIn);
    api.setToken(signIn.value.token);
    const signed = await this.approvedPackage();
    if (signed.kind !== 'ok') throw failureOf(signed);
    if (!this.verified(signed.value)) {
      throw new IpcFailure(
        'package-signature',
        'The exam did not come from the expected server (its signature does not match). Tell the invigilator.',
      );
    }
    // Signed by our server, but is it the exam and the candidate that were typed?
    const pkg = signed.value.package;
    if (pkg.examCode.toUpperCase() !== examCode || pkg.candidate.number !== candidateNumber) {
      throw new IpcFailure(
        'package-mismatch',
        `The server sent the exam for ${pkg.examCode}, candidate ${pkg.candidate.number}, not the one you signed in as. Tell the invigilator.`,
      );
    }
    const file: SessionFile = {
      journalId,
      examCode,
      candidateNumber: credentials.candidateNumber.trim(),
      signed: signed.value,
      token: signIn.value.token,
      receipt: null,
      // The offset from the sign-in reply: a client restarted offline keeps the server's time.
      clockOffsetMs: Math.round(signIn.value.serverTime - (signIn.sentAt + signIn.receivedAt) / 2),
    };
    await saveSessionFile(this.options.fs, this.options.dataDir, key, file);
    await markCurrentSession(this.options.fs, this.options.dataDir, journalId);
    await clearPendingSignIn(this.options.fs, this.options.dataDir);
    await this.activate(file, key, credentials.personalCode, signIn.value.journalState);
    await this.write('session.started', {
      examId: signed.value.package.examId,
      clientVersion: this.options.clientVersion,
    });
    return this.state();
  }

  /**
   * The candidate signs in again while their session is open — because the server refused the
   * token (uploads stopped with `token`), typically after a restart that forgot the personal
   * code. The same journal goes on: a new token, and uploads resume with nothing lost.
   */
  private async signInAgain(credentials: Credentials): Promise<ClientState> {
    const active = this.active!;
    const same =
      credentials.examCode.trim().toUpperCase() === active.file.examCode &&
      credentials.candidateNumber.trim() === active.file.candidateNumber;
    if (!same) throw new IpcFailure('signed-in', 'Someone else is already signed in here.');
    const held = active.personalCode;
    active.personalCode = credentials.personalCode;
    if (!(await this.renewToken())) {
      active.personalCode = held;
      throw new IpcFailure(
        'wrong-credentials',
        'Signing in again did not work: check the personal code, or ask the invigilator.',
      );
    }
    active.outbox.resume();
    this.emit();
    return this.state();
  }

  /**
   * The exam package, once this computer may have it: a second device gets it only after an
   * invigilator approves it, so until then the state says it waits and the request is repeated.
   */
  private async approvedPackage(): ReturnType<ServerApi['examPackage']> {
    try {
      for (;;) {
        const outcome = await this.options.api.examPackage();
        if (outcome.kind !== 'rejected' || outcome.code !== 'awaiting-approval') return outcome;
        if (!this.awaitingApproval) {
          this.awaitingApproval = true;
          this.emit();
        }
        await new Promise<void>((resolve) =>
          this.options.timers.setTimeout(resolve, this.options.approvalPollMs ?? 2_000),
        );
      }
    } finally {
      this.awaitingApproval = false;
    }
  }

  /** Preflight is clear (or an invigilator overrode it): the exam starts and the timer runs. */
  async startExam(overridden = false): Promise<ClientState> {
    const active = this.require();
    if (this.records.phase !== 'preflight')
      throw new IpcFailure('wrong-phase', 'The exam has already started.');
    if (active.outbox.waitingForApproval)
      throw new IpcFailure(
        'not-seeded',
        'Vakt is fetching your answers from the server; you can start in a moment.',
      );
    const pkg = active.file.signed.package;
    const extra = pkg.candidate.extraMinutes * 60_000;
    const startedAt = this.serverNow();
    const deadline = Math.min(
      startedAt + pkg.policy.timing.durationMinutes * 60_000 + extra,
      pkg.closesAt + extra,
    );
    await this.write('preflight.passed', { overridden });
    await this.write('exam.started', { deadline });
    return this.state();
  }

  /**
   * Keeps one answer. Resolves with saved: true once it is durable (coalesced while typing;
   * at once when `leaving` the question); saved: false when storage fails, in which case the
   * value stays in memory, is retried, and the state says why.
   */
  async saveAnswer(
    questionId: string,
    value: AnswerValue,
    leaving = false,
  ): Promise<{ saved: boolean }> {
    const active = this.require();
    // Checked before any await: a save either gets in before the barrier, and so into the
    // sealed answers, or is refused.
    if (this.records.phase !== 'in-progress' || this.closing)
      throw new IpcFailure('not-answering', 'Answers cannot be changed now.');
    if (active.outbox.waitingForApproval)
      throw new IpcFailure(
        'not-seeded',
        'Vakt is fetching your answers from the server; you can go on in a moment.',
      );
    const question = active.file.signed.package.content.questions.find((q) => q.id === questionId);
    if (!question) throw new IpcFailure('bad-answer', `There is no question ${questionId}.`);
    const problem = answerProblem(question, value);
    if (problem) throw new IpcFailure('bad-answer', problem);
    const saved = active.coalescer.change(questionId, value);
    if (leaving) void active.coalescer.flush(questionId).catch(this.logged('saving on leaving'));
    try {
      await saved;
      return { saved: true };
    } catch (error) {
      if (error instanceof JournalWriteError) return { saved: false };
      throw error;
    }
  }

  /** Journals a monitoring event; kept and retried if storage fails. */
  async record<K extends EventKind>(kind: K, payload: EventPayload<K>): Promise<void> {
    const active = this.require();
    const entry = active.journal.entry(kind, payload);
    try {
      await this.writeEntry(entry);
    } catch (error) {
      if (!(error instanceof JournalWriteError)) throw error;
      this.unsaved.push(entry);
    }
  }

  /**
   * Seals the submission in the journal (hash of the latest answers) and uploads it when it
   * can: offline, it waits in the journal, and a hand-in file can carry it instead.
   */
  async submit(): Promise<ClientState> {
    const active = this.require();
    const phase = this.records.phase;
    if (phase !== 'in-progress' && phase !== 'locked') {
      if (phase === 'submitting' || this.records.sealed) return this.state();
      throw new IpcFailure('wrong-phase', 'The exam has not started.');
    }
    if (this.closing) return this.state(); // a submission (or the time-up lock) is under way
    // The barrier: from here no save is accepted, so everything acknowledged so far is in the
    // coalescer or the journal, and the flush puts all of it inside the sealed hash.
    this.closing = true;
    try {
      await active.coalescer.flush();
      this.clearDeadline();
      await this.write('submission.sealed', {
        answersHash: answersHash(this.records.answers),
        headSeq: active.journal.headSeq,
      });
    } catch (error) {
      this.armDeadline();
      if (error instanceof JournalWriteError) throw new IpcFailure('storage', error.message);
      throw error;
    } finally {
      // Sealed, the phase refuses saves from now on; failed, the candidate goes on answering.
      this.closing = false;
    }
    return this.state();
  }

  /** Writes the hand-in file (the whole journal sealed to the server) into `dir`. */
  async exportHandIn(dir: string): Promise<{ fileName: string }> {
    const active = this.require();
    const fileName = await exportHandIn(
      this.options.fs,
      dir,
      active.file,
      active.journal,
      active.key,
    );
    return { fileName };
  }

  /** May the candidate leave? After submission, with the invigilator's leave, or the exit code. */
  async requestExit(exitCode?: string): Promise<{ allowed: boolean }> {
    const active = this.active;
    if (!active) return { allowed: true };
    if (this.state().phase === 'submitted') {
      await this.record('exit.allowed', { via: 'submitted' });
      // Handed in and acknowledged: the next start is a fresh sign-in, not a resume.
      await clearCurrentSession(this.options.fs, this.options.dataDir);
      return { allowed: true };
    }
    if (this.records.quitAllowed) {
      await this.record('exit.allowed', { via: 'invigilator' });
      return { allowed: true };
    }
    const stored = active.file.signed.package.policy.exitCode;
    if (exitCode !== undefined && stored && (await verifyExitCode(exitCode, stored))) {
      await this.record('exit.allowed', { via: 'exit-code' });
      return { allowed: true };
    }
    await this.record('exit.attempted', {
      via: exitCode === undefined ? 'quit' : 'exit-code-wrong',
    });
    return { allowed: false };
  }

  async close(): Promise<void> {
    const active = this.active;
    if (!active) return;
    this.clearDeadline();
    if (this.storageTimer !== null) this.options.timers.clearTimeout(this.storageTimer);
    await active.coalescer.flush().catch(this.logged('saving answers on close'));
    await active.heartbeat.stop();
    await active.outbox.close();
    await this.snapshot().catch(this.logged('snapshot on close'));
    await active.journal.close();
    this.active = null;
    this.records = initialRecordState();
  }

  /** Uploads and heartbeats under way, for tests and shutdown. */
  get sync(): { outbox: Outbox; heartbeat: Heartbeat; link: Link; journal: Journal } {
    const { outbox, heartbeat, link, journal } = this.require();
    return { outbox, heartbeat, link, journal };
  }

  private verified(signed: SignedExamPackage): boolean {
    const key = this.options.pinnedPublicKey.toLowerCase();
    return signed.publicKey === key && verifyCanonical(signed.package, signed.signature, key);
  }

  private async activate(
    file: SessionFile,
    key: Uint8Array,
    personalCode: string | null,
    journalState: 'active' | 'awaiting-approval',
  ): Promise<void> {
    const { api, fs, dataDir, timers, mono } = this.options;
    api.setToken(file.token);
    api.setConfigKey(configKey(file.signed.package.policy));
    const { journal, report } = await Journal.open({
      fs,
      dir: sessionDir(dataDir, file.journalId),
      journalId: file.journalId,
      key,
      clock: { now: () => timers.now(), mono },
    });
    let records = initialRecordState();
    const saved = report.snapshotState as SessionRecordState | null;
    if (saved && Number.isInteger(saved.seq)) records = saved;
    let unfolded: JournalRecord[];
    try {
      unfolded = journal.recordsAfter(records.seq);
    } catch {
      // Open read only what follows the anchor; the state needs what came before it too.
      unfolded = (await journal.allRecords()).filter((record) => record.seq > records.seq);
    }
    for (const record of unfolded) records = foldRecord(records, record);
    this.records = records;
    const link = new Link((transition) => this.linkChanged(transition));
    link.clockOffsetMs = file.clockOffsetMs;
    const outbox = new Outbox({
      ...this.options.sync,
      journal,
      upload: (request) => api.upload(request),
      link,
      journalId: file.journalId,
      timers,
      watermark: journal.anchoredSeq,
      renewToken: () => this.renewToken(),
      onChange: () => this.syncChanged(),
      ...(this.options.logger ? { logger: this.options.logger } : {}),
    });
    outbox.waitingForApproval = journalState === 'awaiting-approval';
    const heartbeat = new Heartbeat({
      send: (request) => api.heartbeat(request),
      link,
      timers,
      intervalMs:
        this.options.heartbeatIntervalMs ?? file.signed.package.policy.heartbeatIntervalMs,
      request: () => ({
        journalId: file.journalId,
        headSeq: journal.headSeq,
        status: heartbeatPhase(this.state()),
      }),
      onReply: (reply) => this.heartbeatReply(reply),
      onChange: () => this.emit(),
      ...(this.options.logger ? { logger: this.options.logger } : {}),
    });
    const coalescer = new AnswerCoalescer(async (questionId, value) => {
      await this.write('answer.saved', { questionId, value });
    }, timers);
    this.active = { file, key, journal, link, outbox, heartbeat, coalescer, personalCode };
    heartbeat.start();
    outbox.kick();
    this.armDeadline();
    this.emit();
  }

  private require(): Active {
    if (!this.active) throw NOT_SIGNED_IN;
    return this.active;
  }

  /** Appends durably and folds the record into the state; storage failures are retried. */
  private async write<K extends EventKind>(
    kind: K,
    payload: EventPayload<K>,
  ): Promise<JournalRecord> {
    const { journal } = this.require();
    return this.writeEntry(journal.entry(kind, payload));
  }

  private async writeEntry(entry: NewEntry): Promise<JournalRecord> {
    const active = this.require();
    let record: JournalRecord;
    try {
      record = await active.journal.append(entry);
    } catch (error) {
      if (error instanceof JournalWriteError) this.storageFailed(error);
      throw error;
    }
    this.fold(record);
    active.outbox.kick();
    this.emit();
    return record;
  }

  private fold(record: JournalRecord): void {
    const before = this.records.phase;
    this.records = foldRecord(this.records, record);
    if (this.records.phase !== before || record.kind === 'instruction.applied') this.armDeadline();
    this.foldedSinceSnapshot += 1;
    if (this.foldedSinceSnapshot >= (this.options.snapshotEvery ?? 1_000)) {
      this.foldedSinceSnapshot = 0;
      void this.snapshot().catch(this.logged('snapshot'));
    }
  }

  private async snapshot(): Promise<void> {
    const active = this.active;
    if (active) await active.journal.snapshot(this.records, this.records.seq);
  }

  private storageFailed(error: JournalWriteError): void {
    this.storage ??= { code: error.code, message: error.message, since: this.options.timers.now() };
    this.emit();
    if (this.storageTimer !== null) return;
    this.storageTimer = this.options.timers.setTimeout(() => {
      this.storageTimer = null;
      void this.retryStorage();
    }, this.options.storageRetryMs ?? 2_000);
  }

  /** Writes what storage refused, in order; once all is durable, says so in the journal. */
  private async retryStorage(): Promise<void> {
    const active = this.active;
    const problem = this.storage;
    if (!active || !problem) return;
    try {
      while (this.unsaved.length > 0) {
        await this.writeEntry(this.unsaved[0]!);
        this.unsaved.shift();
      }
      await active.coalescer.flush();
    } catch {
      return; // writeEntry scheduled the next attempt
    }
    if (active.coalescer.unsaved().length > 0) return;
    this.storage = null;
    await this.record('storage.failed', {
      code: problem.code,
      unsavedMs: Math.max(0, this.options.timers.now() - problem.since),
    });
    this.emit();
  }

  private async renewToken(): Promise<boolean> {
    const active = this.active;
    if (!active || active.personalCode === null) return false;
    const outcome = await this.options.api.signIn({
      examCode: active.file.examCode,
      candidateNumber: active.file.candidateNumber,
      personalCode: active.personalCode,
      journalId: active.file.journalId,
      deviceIdHash: await deviceIdHash(active.file.examCode, this.options.machineId),
      journalPublicKey: journalSigningKey(active.key, active.file.journalId).publicKey,
      clientVersion: this.options.clientVersion,
    });
    if (outcome.kind !== 'ok') return false;
    this.options.api.setToken(outcome.value.token);
    active.file = { ...active.file, token: outcome.value.token };
    await saveSessionFile(this.options.fs, this.options.dataDir, active.key, active.file).catch(
      this.logged('saving the renewed token'),
    );
    return true;
  }

  private linkChanged(transition: LinkTransition): void {
    if (!this.active) return;
    const write =
      transition.kind === 'offline'
        ? this.record('network.offline', {})
        : this.record('network.online', { offlineMs: transition.offlineMs });
    void write.catch(this.logged('journaling a network change'));
  }

  private syncChanged(): void {
    const active = this.active;
    if (!active) return;
    active.heartbeat.nudge();
    const receipt = active.outbox.receipt;
    if (receipt && !active.file.receipt) {
      active.file = { ...active.file, receipt };
      void saveSessionFile(this.options.fs, this.options.dataDir, active.key, active.file).catch(
        this.logged('saving the receipt'),
      );
    }
    this.emit();
  }

  private async heartbeatReply(reply: HeartbeatResponse): Promise<void> {
    const active = this.active;
    if (!active) return;
    // Approved: start from the candidate's answers on the server; uploads (and answering)
    // wait until that worked — the next beat tries again if it did not.
    if (reply.journalState === 'active' && active.outbox.waitingForApproval) {
      if (await this.seedFromServer()) active.outbox.approved();
      this.emit();
    }
    if (active.outbox.unsynced > 0) active.outbox.retryNow();
    for (const instruction of reply.instructions) {
      if (!this.records.applied.includes(instruction.id)) await this.apply(instruction);
    }
  }

  /** An approved second device starts from the candidate's latest answers on the server. */
  private async seedFromServer(): Promise<boolean> {
    const latest = await this.options.api.latestAnswers();
    if (latest.kind !== 'ok') return false;
    for (const [questionId, value] of Object.entries(latest.value.answers)) {
      if (!(questionId in this.records.answers))
        await this.write('answer.saved', { questionId, value });
    }
    return true;
  }

  /**
   * Locks with the same barrier as a submission: every answer saved before the lock is
   * journaled before it, and none is accepted while it is being written.
   */
  private async lockAnswers(by: 'invigilator' | 'policy'): Promise<void> {
    const active = this.require();
    if (this.closing) return;
    this.closing = true;
    try {
      await active.coalescer.flush().catch(this.logged('saving answers before a lock'));
      await this.record('lock.engaged', { by });
    } finally {
      this.closing = false;
    }
  }

  private async apply(instruction: Instruction): Promise<void> {
    this.require();
    const phase = this.records.phase;
    switch (instruction.kind) {
      case 'lock':
        if (phase === 'in-progress') await this.lockAnswers('invigilator');
        break;
      case 'unlock':
        if (phase === 'locked') await this.record('lock.released', { by: 'invigilator' });
        break;
      case 'approve-preflight':
        if (phase === 'preflight') await this.startExam(true);
        break;
      default:
        break;
    }
    await this.record('instruction.applied', {
      id: instruction.id,
      kind: instruction.kind,
      ...(instruction.kind === 'add-time' && instruction.minutes !== undefined
        ? { minutes: instruction.minutes }
        : {}),
    });
  }

  /** Runs the timer to the deadline (on the server's clock); time up submits or locks. */
  /** The timer runs while the exam does (in progress or locked), on the server's clock. */
  private armDeadline(): void {
    const { deadline, phase } = this.records;
    this.deadlineTimer.arm(phase === 'in-progress' || phase === 'locked' ? deadline : null);
  }

  private clearDeadline(): void {
    this.deadlineTimer.clear();
  }

  private async timeUp(): Promise<void> {
    const active = this.active;
    if (!active) return;
    // The clock offset may have moved since the timer was set: check on the server's clock.
    if (this.records.deadline !== null && this.serverNow() < this.records.deadline) {
      this.armDeadline();
      return;
    }
    if (active.file.signed.package.policy.timing.autoSubmit) {
      await this.submit().catch(this.logged('submitting at time-up'));
    } else if (this.records.phase === 'in-progress') {
      await this.lockAnswers('policy');
    }
  }

  /**
   * Pushes the state to the UI once per turn of the event loop, however many records landed in
   * it (a drain after reconnect writes thousands; the state carries the whole exam).
   */
  private emit(): void {
    if (this.emitPending) return;
    this.emitPending = true;
    this.options.timers.setTimeout(() => {
      this.emitPending = false;
      this.options.onState(this.state());
    }, 0);
  }
}

function heartbeatPhase(state: ClientState): Exclude<ClientState['phase'], 'signed-out'> {
  return state.phase === 'signed-out' ? 'preflight' : state.phase;
}

/** A failed sign-in or package download, in words for the candidate. */
function failureOf(
  outcome: Exclude<Awaited<ReturnType<ServerApi['signIn']>>, { kind: 'ok' }>,
): IpcFailure {
  switch (outcome.kind) {
    case 'unreachable':
      return new IpcFailure(
        'offline',
        `Vakt cannot reach the exam server, and it needs it once to fetch the exam. Check the network and try again. (${outcome.message})`,
      );
    case 'refused':
      return new IpcFailure(outcome.refusal.code, outcome.refusal.message);
    case 'rejected':
      return new IpcFailure(outcome.code, outcome.message);
  }
}
