import type { AnswerValue } from '../../common/answers';
import type { SignedExamPackage } from '../../common/api';
import type { EventKind, EventPayload, Place } from '../../common/events';
import type { ClientState, ExamView } from '../../common/ipc';
import type { LifecyclePhase } from '../../common/session-phase';
import { projectClientState } from '../client-state';
import { JournalWriteError } from '../journal/journal';
import { consoleLogger, logged, type Logger } from '../logger';

import { ClipboardRule, type ClipboardRequest } from './clipboard-rule';
import { DeadlineTimer, examDeadline } from './deadline-timer';
import { exportHandIn } from './hand-in-export';
import { OpenSession, type OpenSessionContext } from './open-session';
import { OpeningWatch } from './opening-watch';
import { Publisher } from './publisher';
import { SessionError } from './session-error';
import * as files from './session-file';
import type { JournalView } from './session-writer';
import * as signIn from './sign-in';
import type { SyncParts } from './sync-parts';

export type { Credentials } from './sign-in';

/**
 * The server API, storage, keys and pinned key (sign-in.ts), the sync factory, journal tuning
 * (open-session.ts), and where the state and phases go.
 */
export interface ExamSessionOptions extends Omit<OpenSessionContext, 'logger'> {
  onState: (state: ClientState) => void;
  /** Each new phase, as it happens: the Electron layer engages and releases lockdown on it. */
  onPhase?: (phase: LifecyclePhase) => void;
  /** Where what was caught and carried on from is reported (default: the console). */
  logger?: Logger;
  /**
   * The exam opened while the candidate waited in the waiting room: the app starts it, through
   * the checks (default: nothing, the candidate presses Start).
   */
  onOpened?: () => void;
}

/**
 * The exam session (DESIGN.md "Exam session"): signed-out → preflight → in-progress ⇄ locked →
 * submitting → submitted. The journal is its only memory (the session writer folds every record
 * into the state), so a restarted client resumes where the disk says; uploading never blocks
 * answering. Sign-in is in sign-in.ts, instructions in instructions.ts, the pushed state in
 * client-state.ts.
 */
export class ExamSession {
  private active: OpenSession | null = null;
  private awaitingApproval = false;
  private readonly deadline: DeadlineTimer;
  private readonly opening: OpeningWatch;
  private starting: Promise<ClientState> | null = null;
  private readonly log: Logger;
  private readonly publisher: Publisher;
  private clipboardRule = new ClipboardRule();

  constructor(private readonly options: ExamSessionOptions) {
    this.log = options.logger ?? consoleLogger;
    const { timers, onState, onPhase } = options;
    this.publisher = new Publisher(timers, () => this.state(), onState, onPhase);
    // The battery is on the candidate's screen: a new reading is news.
    options.device?.onChange(() => this.publisher.changed());
    this.deadline = new DeadlineTimer(
      options.timers,
      () => this.serverNow(),
      () => void this.timeUp(),
    );
    this.opening = new OpeningWatch(
      options.timers,
      () => this.serverNow(),
      () => this.opened(),
      logged(this.log, 'fetching the exam at its opening'),
    );
  }

  /** What the candidate UI shows: small, pushed on every change. */
  state(): ClientState {
    const { awaitingApproval } = this;
    const device = this.options.device?.current ?? null;
    return projectClientState({
      awaitingApproval,
      device,
      session: this.active?.sources() ?? null,
    });
  }

  /** The exam and the answers so far: fetched once by the UI, never pushed. */
  exam(): ExamView {
    return this.require().exam();
  }

  get journalId(): string | null {
    return this.active?.file.journalId ?? null;
  }

  get examPackage(): SignedExamPackage['package'] | null {
    return this.active?.file.signed.package ?? null;
  }

  /** The server's clock now, as well as this client knows it. */
  serverNow(): number {
    const now = this.options.timers.now();
    return this.active ? this.active.sync.link.serverNow(now) : now;
  }

  /** Picks up the session a crash or restart interrupted; false when there is none. */
  async resume(): Promise<boolean> {
    const saved = await signIn.savedSession(this.options);
    if (saved) await this.activate(saved, null);
    return saved !== null;
  }

  async signIn(credentials: signIn.Credentials): Promise<ClientState> {
    if (this.active) return this.signInAgain(credentials);
    const onWaiting = (waiting: boolean) => {
      this.awaitingApproval = waiting;
      this.publisher.changed();
    };
    const signedIn = await signIn.signInFresh({ ...this.options, onWaiting }, credentials);
    await this.activate(signedIn, credentials.personalCode);
    await this.active!.writer.write('session.started', {
      examId: signedIn.file.signed.package.examId,
      clientVersion: this.options.clientVersion,
    });
    return this.state();
  }

  /**
   * Signing in while the session is open: the server refused the token (uploads stopped with
   * `token`), typically after a restart forgot the personal code. The same journal goes on.
   */
  private async signInAgain(credentials: signIn.Credentials): Promise<ClientState> {
    const active = this.active!;
    if (!signIn.sameCandidate(active.file, credentials)) throw new SessionError('signed-in');
    if (!(await active.renewToken(credentials.personalCode)))
      throw new SessionError('wrong-credentials');
    active.sync.outbox.resume();
    this.publisher.changed();
    return this.state();
  }

  /**
   * The candidate presses Start: preflight is clear, or an invigilator let them start despite
   * the checks (journaled then). The exam starts and the timer runs from now.
   */
  async startExam(): Promise<ClientState> {
    // One start at a time: the start at the opening and a press of Start may meet.
    this.starting ??= this.startOnce().finally(() => (this.starting = null));
    return this.starting;
  }

  private async startOnce(): Promise<ClientState> {
    const active = this.require();
    const { file, writer } = active;
    if (writer.state.phase !== 'preflight') throw new SessionError('wrong-phase');
    if (active.opening) throw new SessionError('not-open');
    if (active.seeding) throw new SessionError('not-seeded');
    if (!writer.state.startApproved) await writer.write('preflight.passed', { overridden: false });
    await writer.write('exam.started', {
      deadline: examDeadline(file.signed.package, this.serverNow()),
    });
    return this.state();
  }

  /**
   * Keeps one answer: saved once durable; saved: false when storage fails (the value is kept
   * and retried, and the state says why).
   */
  async saveAnswer(
    questionId: string,
    value: AnswerValue,
    leaving = false,
  ): Promise<{ saved: boolean }> {
    const active = this.require();
    const { writer, answerProblem } = active;
    // Checked before any await: a save gets in before the barrier, and so into what is
    // sealed, or is refused.
    if (writer.state.phase !== 'in-progress' || writer.closed)
      throw new SessionError('not-answering');
    if (active.seeding) throw new SessionError('not-seeded');
    const problem = answerProblem(questionId, value);
    if (problem) throw new SessionError('bad-answer', { questionId, detail: problem });
    return { saved: await writer.saveAnswer(questionId, value, leaving) };
  }

  /** Journals a monitoring event; kept and retried if storage fails. */
  async record<K extends EventKind>(kind: K, payload: EventPayload<K>): Promise<void> {
    await this.require().writer.record(kind, payload);
  }

  /**
   * Seals the submission in the journal (hash of the latest answers) and uploads it when it
   * can: offline, it waits in the journal, and a hand-in file can carry it instead.
   */
  async submit(timeUp = false): Promise<ClientState> {
    const { writer } = this.require();
    const phase = writer.state.phase;
    if (phase === 'submitting' || writer.state.sealed) return this.state();
    if (phase !== 'in-progress' && phase !== 'locked') throw new SessionError('wrong-phase');
    try {
      await writer.seal(timeUp); // false: a submission (or the time-up lock) is under way
    } catch (error) {
      // Time may have run out while sealing; the timer looks again.
      this.armDeadline();
      if (error instanceof JournalWriteError)
        throw new SessionError('storage', { errno: error.code });
      throw error;
    }
    return this.state();
  }

  /** The candidate read message `id`: journaled, so it goes here and shows "read" to staff. */
  async readMessage(id: string): Promise<ClientState> {
    const { writer } = this.require();
    if (writer.state.messages.some((message) => message.id === id)) {
      await writer.record('message.read', { id });
    }
    return this.state();
  }

  /** The candidate asks for an invigilator (once: a raised hand stays up until answered). */
  async raiseHand(text?: string): Promise<ClientState> {
    const { writer } = this.require();
    if (writer.state.sealed) throw new SessionError('wrong-phase');
    const words = text?.trim();
    if (!writer.state.handRaised) await writer.record('hand.raised', words ? { text: words } : {});
    return this.state();
  }

  /**
   * Where the candidate is: journaled only when it changed, and only while they answer. Ids
   * that are no question of the exam are dropped.
   */
  async keepPlace(place: Place): Promise<ClientState> {
    const active = this.require();
    const { writer, file } = active;
    // As for answers: not while the candidate's own answers are still being fetched, nor on
    // a laptop another one replaced.
    if (active.seeding || file.replacedAfter !== null) return this.state();
    const questions = file.signed.package.content?.questions ?? [];
    const ids = new Set(questions.map((question) => question.id));
    const kept = { at: place.at, marked: [...new Set(place.marked)].filter((id) => ids.has(id)) };
    const same = JSON.stringify(kept) === JSON.stringify(writer.state.place);
    if (writer.state.phase === 'in-progress' && ids.has(kept.at) && !same)
      await writer.record('place.kept', kept);
    return this.state();
  }

  /** A copy, paste or drop in the exam window: main decides (clipboard-rule.ts). */
  async clipboard(request: ClipboardRequest): Promise<{ allowed: boolean }> {
    const active = this.active;
    const phase = active?.writer.state.phase ?? 'signed-out';
    const policy = active?.file.signed.package.policy ?? null;
    const verdict = this.clipboardRule.decide(request, phase, policy, performance.now());
    if (verdict.refused && active && !active.writer.closed)
      await active.writer.record('clipboard.refused', verdict.refused);
    return { allowed: verdict.allowed };
  }

  async lowerHand(): Promise<ClientState> {
    const { writer } = this.require();
    if (writer.state.handRaised) await writer.record('hand.lowered', { by: 'candidate' });
    return this.state();
  }

  /** Writes the hand-in file (the whole journal sealed to the server) into `dir`. */
  async exportHandIn(dir: string): Promise<{ fileName: string }> {
    const { file, writer, key } = this.require();
    return { fileName: await exportHandIn(this.options.fs, dir, file, writer.journal, key) };
  }

  /** May the candidate leave? After submission, with the invigilator's leave, or the exit code. */
  async requestExit(exitCode?: string): Promise<{ allowed: boolean }> {
    if (!this.active) return { allowed: true };
    const via = await this.active.exitVia(exitCode);
    // Handed in and acknowledged, or replaced by another computer with nothing left to send:
    // the next start is a fresh sign-in, not a resume (the journal stays on disk). A replaced
    // laptop with records still to send resumes once more to send them, as evidence.
    const sent = this.active.sources().unsyncedRecords === 0;
    if (via === 'submitted' || (via === 'replaced' && sent))
      await files.clearCurrentSession(this.options.fs, this.options.dataDir);
    if (via) this.publisher.exiting();
    return { allowed: via !== null };
  }

  async close(): Promise<void> {
    const active = this.active;
    if (!active) return;
    this.deadline.clear();
    this.opening.clear();
    await active.close();
    this.active = null;
  }

  /** Uploads and heartbeats under way, and the journal read-only: for tests and shutdown. */
  get sync(): SyncParts & { journal: JournalView } {
    const { sync, writer } = this.require();
    return { ...sync, journal: writer.journal };
  }

  private async activate(signedIn: signIn.SignedIn, personalCode: string | null): Promise<void> {
    // Text copied in one exam never pastes into the next.
    this.clipboardRule = new ClipboardRule();
    this.active = await OpenSession.open(
      { ...this.options, logger: this.log },
      signedIn,
      personalCode,
      {
        folded: ({ record, phaseBefore }) => {
          const phase = this.active?.writer.state.phase;
          if (phase !== phaseBefore || record.kind === 'instruction.applied') this.armDeadline();
        },
        changed: () => this.publisher.changed(),
        // The invigilator's leave to start despite the checks: the candidate still presses
        // Start, so no time runs while they may be away from the desk.
        approvePreflight: async () => {
          const writer = this.active?.writer;
          if (writer?.state.phase === 'preflight' && !writer.state.startApproved)
            await writer.write('preflight.passed', { overridden: true });
        },
      },
    );
    this.armDeadline();
    const opening = this.active.opening;
    if (opening) this.opening.arm(opening.opensAt);
    this.publisher.changed();
  }

  /** The opening came: the questions are fetched, and the exam starts if the checks allow. */
  private async opened(): Promise<boolean> {
    const active = this.active;
    if (!active?.opening) return true;
    const fetched = await active.fetchOpened();
    // Closing (or another session opened) meanwhile: nothing more to do for this one.
    if (this.active !== active || active.closing) return true;
    if (!fetched) return false;
    this.publisher.changed();
    this.options.onOpened?.();
    return true;
  }

  private require(): OpenSession {
    if (!this.active) throw new SessionError('not-signed-in');
    return this.active;
  }

  private armDeadline(): void {
    this.deadline.armFor(this.active?.writer.state ?? null);
  }

  private async timeUp(): Promise<void> {
    const active = this.active;
    if (!active) return;
    if (active.file.signed.package.policy.timing.autoSubmit) {
      await this.submit(true).catch(logged(this.log, 'submitting at time-up'));
    } else if (active.writer.state.phase === 'in-progress') {
      await active.writer.lock('policy');
    }
  }
}
