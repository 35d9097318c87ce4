import type { EventKind, EventPayload } from '../../common/events';
import type { PreflightReport } from '../../common/ipc';
import type { ExamPolicy } from '../../common/policy';
import { recordedBy } from '../../common/recorded';
import type { Timers } from '../timers';

import { ProgramClassifier, type Catalogue, type MonitoredOs } from './catalogue';
import { describeDisplays, displayProblems, DisplayMonitor, type ScreenPort } from './displays';
import { FocusMonitor, focusReaderProblem, type ActiveWindowReader } from './focus-monitor';
import { ProcessMonitor } from './process-monitor';
import type { ProcessSource } from './process-source';
import { remoteSessions, type RemoteSession } from './remote-session';
import type { TerminateOutcome } from './terminate';
import type { VmEvidence, VmFinding } from './vm/findings';

export interface MonitoringOptions {
  policy: ExamPolicy;
  catalogue: Catalogue;
  os: MonitoredOs;
  source: ProcessSource;
  readActive: ActiveWindowReader;
  /** Electron's screen; null where there is none (tests without displays). */
  screen: ScreenPort | null;
  vm: VmEvidence;
  env: Readonly<Record<string, string | undefined>>;
  /** The TCP ports something listens on (Linux: /proc/net/tcp); none where unknown. */
  listeningPorts?: () => readonly number[];
  timers: Timers;
  mono: () => number;
  /** Ends processes (tests pass their own; production ends them for real). */
  terminate?: (pids: number[]) => Promise<TerminateOutcome>;
  /** Journals an event (the exam session's record). */
  record: <K extends EventKind>(kind: K, payload: EventPayload<K>) => void;
}

/**
 * All monitors of one exam, configured from its policy and journaling through the session:
 * programs, focus, displays, virtual machine evidence and remote sessions.
 */
export class Monitoring {
  readonly focus: FocusMonitor;
  private readonly processes: ProcessMonitor;
  private readonly displays: DisplayMonitor | null;
  private vmFindings: VmFinding[] = [];

  constructor(private readonly options: MonitoringOptions) {
    const { policy, record } = options;
    this.processes = new ProcessMonitor({
      source: options.source,
      classifier: new ProgramClassifier(options.catalogue, policy.processes, options.os),
      timers: options.timers,
      intervalMs: policy.processes.pollIntervalMs,
      emit: (event) => record(event.kind, event.payload),
      ...(options.terminate ? { terminate: options.terminate } : {}),
    });
    this.focus = new FocusMonitor({
      readActive: options.readActive,
      now: options.mono,
      recordTitles: policy.privacy.recordWindowTitles,
      emit: (event) => record(event.kind, event.payload),
    });
    this.displays = options.screen
      ? new DisplayMonitor(options.screen, (payload) => record('display.changed', payload))
      : null;
  }

  /** Starts watching; the one-off checks (virtual machine, remote session) are journaled once. */
  async start(): Promise<void> {
    this.processes.start();
    this.displays?.start();
    await this.processes.poll();
    // A remote-access program ended at start is evidence already (process.terminated); the
    // remote-session check must not then report it as still running.
    await this.processes.settled();
    this.vmFindings = (await this.options.vm.findings().catch(() => [])).slice(0, 50);
    if (this.vmFindings.length > 0)
      this.options.record('vm.evidence', { findings: this.vmFindings });
    for (const { via, detail } of this.remote()) {
      this.options.record('remote-session.detected', { via, detail });
    }
  }

  async stop(): Promise<void> {
    await this.processes.stop();
  }

  preflight(): PreflightReport {
    const { policy } = this.options;
    const programs = this.processes
      .preflight()
      .map((program) => ({ ...program, closable: policy.processes.candidateMayClose }));
    const displays = this.displays?.current() ?? describeDisplays([]);
    const problems = this.displays ? displayProblems(displays, policy.displays) : [];
    const vmBlocks =
      policy.virtualMachine.action === 'block' &&
      this.vmFindings.some((finding) => finding.confidence === 'high');
    const remote = this.remote().map(({ via, program }) => (program ? { via, program } : { via }));
    return {
      programs,
      displays,
      displayProblems: problems,
      vmFindings: this.vmFindings,
      vmBlocks,
      remoteSessions: remote,
      focusWarning: focusReaderProblem(this.options.os, this.options.env),
      recorded: recordedBy(policy),
      clear: programs.length === 0 && problems.length === 0 && !vmBlocks && remote.length === 0,
    };
  }

  /** The candidate's close button in preflight, where the policy allows it. */
  async closeProgram(friendlyName: string): Promise<TerminateOutcome> {
    if (!this.options.policy.processes.candidateMayClose) return 'not-permitted';
    const outcome = await this.processes.close(friendlyName);
    await this.processes.poll();
    return outcome;
  }

  private remote(): RemoteSession[] {
    const programs = this.processes
      .preflight()
      .filter((program) => program.category === 'remote-access')
      .map((program) => program.friendlyName);
    const ports = this.options.listeningPorts?.() ?? [];
    return remoteSessions(this.options.os, this.options.env, programs, ports);
  }
}
