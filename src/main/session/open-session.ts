import type { AnswerValue } from '../../common/answers';
import {
  receiptStatement,
  type HeartbeatResponse,
  type JournalStanding,
  type Receipt,
} from '../../common/api';
import { configKey } from '../../common/config-key';
import { answerProblem } from '../../common/content';
import type { ExamView } from '../../common/ipc';
import type { Phase } from '../../common/session-phase';
import { verifyCanonical } from '../../common/signing';
import { projectClientState, type StateSources } from '../client-state';
import { exitAllowedVia, type ExitVia } from '../exit-code';
import { logged, type Logger } from '../logger';
import type { DeviceSource } from '../monitor/device-watch';
import type { OutboxEvent } from '../sync/outbox';

import { applyInstructions } from './instructions';
import { SessionError } from './session-error';
import * as files from './session-file';
import { SessionWriter, type WriterChange } from './session-writer';
import { isVerified, renewSignIn, type SignedIn, type SignInContext } from './sign-in';
import type { SyncFactory, SyncParts } from './sync-parts';

export interface OpenSessionContext extends Omit<SignInContext, 'onWaiting'> {
  /** Builds the link, outbox and heartbeat of each journal the session opens. */
  sync: SyncFactory;
  /** A monotonic clock in ms (performance.now in production). */
  mono: () => number;
  /** How often a failed write is retried while storage fails. */
  storageRetryMs?: number;
  /** A snapshot after this many records, to bound reopening time. */
  snapshotEvery?: number;
  /** The laptop's battery and network, told in each heartbeat (absent: not read here). */
  device?: DeviceSource;
  logger: Logger;
}

/** What the open session tells the exam session, which owns the phase, timer and pushes. */
export interface OpenSessionHooks {
  /** A record was folded (the phase may have moved, time may have been added). */
  folded: (change: Extract<WriterChange, { kind: 'folded' }>) => void;
  /** Anything the pushed state shows may have changed. */
  changed: () => void;
  /** An invigilator approved starting without a clear preflight. */
  approvePreflight: () => Promise<void>;
}

/**
 * Everything that exists only while someone is signed in: the session file, the journal's
 * writer and the sync parts, wired together. Outbox and heartbeat report events here; the
 * writer alone appends.
 */
export class OpenSession {
  private constructor(
    private saved: files.SessionFile,
    readonly key: Uint8Array,
    readonly writer: SessionWriter,
    readonly sync: SyncParts,
    private personalCode: string | null,
    private readonly context: OpenSessionContext,
  ) {}

  private seedingNow: Promise<void> | null = null;
  private closingFlag = false;
  /** Session-file writes, one after another (two at once could land in the wrong order). */
  private saving: Promise<void> = Promise.resolve();

  static async open(
    context: OpenSessionContext,
    { file, key, journalState }: SignedIn,
    personalCode: string | null,
    hooks: OpenSessionHooks,
  ): Promise<OpenSession> {
    const { api, fs, dataDir, timers, mono, logger } = context;
    api.setToken(file.token);
    api.setConfigKey(configKey(file.signed.package.policy));
    let session: OpenSession | null = null;
    const writer = await SessionWriter.open(
      {
        fs,
        dir: files.sessionDir(dataDir, file.journalId),
        journalId: file.journalId,
        key,
        clock: { now: () => timers.now(), mono },
      },
      {
        timers,
        logger,
        ...(context.storageRetryMs !== undefined ? { storageRetryMs: context.storageRetryMs } : {}),
        ...(context.snapshotEvery !== undefined ? { snapshotEvery: context.snapshotEvery } : {}),
        // Records folded while opening (integrity records) are sent once the outbox exists.
        onChange: (change) => session?.writerChanged(change, hooks),
      },
    );
    const sync = context.sync({
      journalId: file.journalId,
      journal: writer.journal,
      watermark: writer.journal.anchoredSeq,
      held: journalState === 'awaiting-approval',
      clockOffsetMs: file.clockOffsetMs,
      heartbeatIntervalMs: file.signed.package.policy.heartbeatIntervalMs,
      heartbeatRequest: () => ({
        journalId: file.journalId,
        headSeq: writer.journal.headSeq,
        status: session ? session.phase() : 'preflight',
        ...(context.device?.current ? { device: context.device.current } : {}),
      }),
      renewToken: () => session?.renewToken() ?? Promise.resolve(false),
      onLink: (transition) =>
        void (
          transition.kind === 'offline'
            ? writer.record('network.offline', {})
            : writer.record('network.online', { offlineMs: transition.offlineMs })
        ).catch(logged(logger, 'journaling a network change')),
      onOutbox: (event) => session?.outboxEvent(event, hooks),
      onReply: (reply) => session?.heartbeatReply(reply, hooks) ?? Promise.resolve(),
      onBeat: hooks.changed,
    });
    session = new OpenSession(file, key, writer, sync, personalCode, context);
    sync.heartbeat.start();
    sync.outbox.kick();
    // An approved second device starts from the candidate's answers (the sign-in reply or a
    // reply before a restart said so); if this try fails, the next heartbeat reply tries again.
    if (session.seeding && !sync.outbox.waitingForApproval) void session.seed(hooks);
    return session;
  }

  get file(): files.SessionFile {
    return this.saved;
  }

  /** What the pushed state is projected from. */
  sources(): NonNullable<StateSources['session']> {
    const { writer } = this;
    const { link, outbox } = this.sync;
    return {
      records: writer.state,
      receipt: this.saved.receipt,
      connectivity: link.connectivity,
      clockOffsetMs: link.clockOffsetMs,
      lastAckAt: outbox.lastAckAt,
      watermark: outbox.watermark,
      unsyncedRecords: outbox.unsynced,
      unsavedQuestions: writer.unsavedQuestions(),
      storageErrno: writer.storageFailure?.errno ?? null,
      uploadProblem: outbox.problem,
      seeding: this.seeding,
      replacedAfter: this.saved.replacedAfter,
      opening: this.opening,
    };
  }

  /**
   * Answering waits: the server holds this device for approval, or it must first start from
   * the candidate's answers on the server and has not journaled that it did.
   */
  get seeding(): boolean {
    return (
      this.sync.outbox.waitingForApproval || (this.saved.needsAnswers && !this.writer.state.seeded)
    );
  }

  /** Why `value` cannot be the answer to `questionId` (null when it can). */
  readonly answerProblem = (questionId: string, value: AnswerValue): string | null => {
    const questions = this.saved.signed.package.content?.questions ?? [];
    const question = questions.find((q) => q.id === questionId);
    return question ? (answerProblem(question, value)?.slice(0, 200) ?? null) : 'no such question';
  };

  /** The phase a heartbeat reports (a submission counts once its receipt matched). */
  phase(): Exclude<Phase, 'signed-out'> {
    const { phase } = projectClientState({ session: this.sources(), awaitingApproval: false });
    return phase === 'signed-out' ? 'preflight' : phase;
  }

  /** Journals a request to leave: how leaving is allowed now, or null (and the attempt). */
  async exitVia(exitCode: string | undefined): Promise<ExitVia | null> {
    const via = await exitAllowedVia(
      {
        submitted: this.phase() === 'submitted',
        quitAllowed: this.writer.state.quitAllowed,
        replaced: this.saved.replacedAfter !== null,
      },
      this.saved.signed.package.policy.exitCode,
      exitCode,
    );
    if (via) await this.writer.record('exit.allowed', { via });
    else
      await this.writer.record('exit.attempted', {
        via: exitCode === undefined ? 'quit' : 'exit-code-wrong',
      });
    return via;
  }

  /** The exam and the answers so far (not before the exam opens: there are no questions yet). */
  exam(): ExamView {
    const { examCode, candidateNumber, signed } = this.saved;
    const { content } = signed.package;
    if (content === null) throw new SessionError('not-open');
    const answers = { ...this.writer.state.answers };
    const candidateName = signed.package.candidate.name ?? null;
    const { place } = this.writer.state;
    return { examCode, candidateNumber, candidateName, content, answers, place };
  }

  /** Before the exam opens (signed in early, waiting): when it opens and its title. */
  get opening(): { opensAt: number; title: string } | null {
    const { opensAt, title, content } = this.saved.signed.package;
    return content === null ? { opensAt, title: title ?? '' } : null;
  }

  /**
   * At the opening: the package again, now with the questions. False while the server has not
   * opened the exam yet (or cannot be reached); a package that is not ours is refused.
   */
  async fetchOpened(): Promise<boolean> {
    const { api, pinnedPublicKeys } = this.context;
    const outcome = await api.examPackage();
    if (this.closingFlag) return false;
    if (outcome.kind !== 'ok' || outcome.value.package.content === null) return false;
    const before = this.saved.signed.package;
    const after = outcome.value.package;
    if (!isVerified(outcome.value, pinnedPublicKeys)) throw new SessionError('package-signature');
    if (after.examId !== before.examId || after.candidate.number !== before.candidate.number) {
      throw new SessionError('package-mismatch', {
        examCode: after.examCode,
        candidateNumber: after.candidate.number,
      });
    }
    api.setConfigKey(configKey(after.policy));
    this.save({ ...this.saved, signed: outcome.value });
    return true;
  }

  /** Signs the journal in again; with `personalCode`, which is kept once it worked. */
  async renewToken(personalCode = this.personalCode): Promise<boolean> {
    if (personalCode === null) return false;
    const token = await renewSignIn(this.context, this.saved, this.key, personalCode);
    if (token === null) return false;
    this.personalCode = personalCode;
    this.save({ ...this.saved, token });
    return true;
  }

  /** Closing or closed: nothing new is started on it. */
  get closing(): boolean {
    return this.closingFlag;
  }

  async close(): Promise<void> {
    this.closingFlag = true;
    await this.sync.heartbeat.stop();
    // A fetch of the answers under way writes them before the journal closes.
    await this.seedingNow;
    await this.sync.outbox.close();
    await this.writer.close();
    await this.saving;
  }

  /** Keeps `file`, in memory at once and on disk in the order the changes were made. */
  private save(file: files.SessionFile): void {
    this.saved = file;
    const { fs, dataDir, logger } = this.context;
    this.saving = this.saving
      .then(() => files.saveSessionFile(fs, dataDir, this.key, file))
      .catch(logged(logger, 'saving the session file'));
  }

  private writerChanged(change: WriterChange, hooks: OpenSessionHooks): void {
    if (change.kind === 'folded') {
      hooks.folded(change);
      this.sync.outbox.kick();
    }
    hooks.changed();
  }

  private async outboxEvent(event: OutboxEvent, hooks: OpenSessionHooks): Promise<void> {
    this.sync.heartbeat.nudge();
    hooks.changed();
    if (event.kind !== 'acknowledged') return;
    if (event.receipt && !this.saved.receipt)
      this.save({ ...this.saved, receipt: this.checkedReceipt(event.receipt) });
    if (event.replacedAfter !== null) this.standing({ replacedAfter: event.replacedAfter }, hooks);
    await this.writer.acknowledged(event);
  }

  /**
   * The receipt as kept: its signature only if it verifies against the server key this
   * session's package was signed with (a pinned one). One that does not is dropped, and the
   * receipt is kept as unsigned: the hash still says what was handed in.
   */
  private checkedReceipt(receipt: Receipt): Receipt {
    const { signature, ...rest } = receipt;
    if (signature === undefined) return rest;
    const { signed, journalId } = this.saved;
    const statement = receiptStatement(signed.package.examId, journalId, rest);
    if (verifyCanonical(statement, signature, signed.publicKey)) return receipt;
    this.context.logger.warn('the receipt’s signature does not verify: kept without it');
    return rest;
  }

  private async heartbeatReply(reply: HeartbeatResponse, hooks: OpenSessionHooks): Promise<void> {
    const { writer } = this;
    const { outbox } = this.sync;
    this.standing(reply, hooks);
    if (reply.journalState === 'active' && outbox.waitingForApproval) outbox.approved();
    // The server's view decides (not one sign-in reply): a device it still expects to start
    // from the candidate's answers does so now, whatever happened to earlier replies.
    // Not awaited: other replies (the network's return, instructions) go on meanwhile.
    if (this.seeding && !outbox.waitingForApproval) void this.seed(hooks);
    if (outbox.unsynced > 0) outbox.retryNow();
    await applyInstructions(reply.instructions, {
      phase: () => writer.state.phase,
      applied: () => writer.state.applied,
      lock: async (reason) => void (await writer.lock('invigilator', reason)),
      unlock: () => writer.record('lock.released', { by: 'invigilator' }),
      pause: async (at) => void (await writer.pause(at)),
      resume: (pausedMs, instruction) => writer.record('exam.resumed', { pausedMs, instruction }),
      handRaised: () => writer.state.handRaised,
      approvePreflight: hooks.approvePreflight,
      record: (kind, payload) => writer.record(kind, payload),
    });
  }

  /** Keeps what the server said of this journal, for the state and for a restart. */
  private standing(
    said: Partial<Pick<JournalStanding, 'needsAnswers' | 'replacedAfter'>>,
    hooks: OpenSessionHooks,
  ): void {
    const needsAnswers = said.needsAnswers ?? this.saved.needsAnswers;
    const replacedAfter = said.replacedAfter ?? this.saved.replacedAfter;
    if (needsAnswers === this.saved.needsAnswers && replacedAfter === this.saved.replacedAfter)
      return;
    this.save({ ...this.saved, needsAnswers, replacedAfter });
    hooks.changed();
  }

  /**
   * An approved second device starts from the candidate's latest answers on the server, then
   * journals that it did (`answers.seeded`), which tells the server too. One attempt at a time;
   * a failed one is tried again with the next heartbeat reply, and a restart halfway through
   * writes only the answers still missing.
   */
  private seed(hooks: OpenSessionHooks): Promise<void> {
    this.seedingNow ??= this.seedOnce(hooks)
      .catch(logged(this.context.logger, "fetching the candidate's answers"))
      .finally(() => {
        this.seedingNow = null;
        hooks.changed();
      });
    return this.seedingNow;
  }

  private async seedOnce(hooks: OpenSessionHooks): Promise<void> {
    const latest = await this.context.api.latestAnswers();
    if (latest.kind !== 'ok' || !this.seeding) return;
    let count = 0;
    for (const [questionId, value] of Object.entries(latest.value.answers)) {
      if (questionId in this.writer.state.answers) continue;
      await this.writer.write('answer.saved', { questionId, value });
      count += 1;
    }
    // Where they were, too: the same question, the same review marks.
    const { place } = latest.value;
    if (place && !this.writer.state.place) await this.writer.write('place.kept', place);
    await this.writer.write('answers.seeded', { count });
    hooks.changed();
  }
}
