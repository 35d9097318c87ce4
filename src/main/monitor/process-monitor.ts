import type { EventPayload } from '../../common/events';
import { Repeater, type Timers } from '../timers';

import type { Classification, ProgramClassifier } from './catalogue';
import type { ProcessSource } from './process-source';
import { terminate as terminateProcesses, type TerminateOutcome } from './terminate';

export type ProcessEvent =
  | { kind: 'process.started'; payload: EventPayload<'process.started'> }
  | { kind: 'process.stopped'; payload: EventPayload<'process.stopped'> }
  | { kind: 'process.terminated'; payload: EventPayload<'process.terminated'> };

export interface ProcessMonitorOptions {
  source: ProcessSource;
  classifier: ProgramClassifier;
  timers: Timers;
  /** The policy's poll interval (default 1 s). */
  intervalMs: number;
  emit: (event: ProcessEvent) => void;
  terminate?: (pids: number[]) => Promise<TerminateOutcome>;
  /** A poll that failed (the source could not list processes). */
  onError?: (error: unknown) => void;
}

interface RunningProgram {
  classification: Classification & { action: 'flag' | 'terminate' };
  pids: number[];
}

/** A program preflight asks the candidate to close, by its friendly name. */
export interface PreflightProgram {
  friendlyName: string;
  category: Classification['category'];
  action: 'flag' | 'terminate';
}

/**
 * Polls the process source, diffs snapshots and reports programs — not processes: Discord's
 * five processes are one program, started when the first appears and stopped when the last is
 * gone. Only programs whose action is flag or terminate exist here; allowed and unknown
 * programs are dropped at classification and leave no trace.
 */
export class ProcessMonitor {
  private programs = new Map<string, RunningProgram>();
  /** Processes of terminate programs already being ended, or ended: each is ended once. */
  private readonly ended = new Set<number>();
  /** Processes confirmed gone after Vakt ended them; preflight stops listing them at once. */
  private readonly gone = new Set<number>();
  /** How many times each terminate program was ended; more than once means it came back. */
  private readonly endCounts = new Map<string, number>();
  private readonly endings = new Set<Promise<TerminateOutcome>>();
  private readonly repeater: Repeater;

  constructor(private readonly options: ProcessMonitorOptions) {
    this.repeater = new Repeater(options.timers, options.intervalMs, () => this.diff());
  }

  start(): void {
    this.repeater.start();
  }

  async stop(): Promise<void> {
    await this.repeater.stop();
    this.options.source.close?.();
  }

  /** One snapshot and diff (what the timer runs). */
  poll(): Promise<void> {
    return this.repeater.run();
  }

  /** Settles once every termination under way has finished. */
  async settled(): Promise<void> {
    while (this.endings.size > 0) await Promise.allSettled([...this.endings]);
  }

  /** What must be closed before the exam starts. */
  preflight(): PreflightProgram[] {
    const live = [...this.programs.values()].filter(({ pids }) =>
      pids.some((pid) => !this.gone.has(pid)),
    );
    return live.map(({ classification }) => ({
      friendlyName: classification.friendlyName,
      category: classification.category,
      action: classification.action,
    }));
  }

  /** The candidate's close button in preflight: ends every process of one program. */
  async close(friendlyName: string): Promise<TerminateOutcome> {
    const program = this.programs.get(friendlyName);
    if (!program) return 'ended';
    return this.end(program.classification, program.pids);
  }

  private async diff(): Promise<void> {
    const { classifier, emit } = this.options;
    let list;
    try {
      list = await this.options.source.list();
    } catch (error) {
      this.options.onError?.(error);
      return;
    }
    const current = new Map<string, RunningProgram>();
    for (const { pid, name } of list) {
      const classification = classifier.classify(name);
      if (!classification || classification.action === 'allow') continue;
      const key = classification.friendlyName;
      const program = current.get(key) ?? {
        classification: { ...classification, action: classification.action },
        pids: [],
      };
      program.pids.push(pid);
      current.set(key, program);
    }
    const previous = this.programs;
    this.programs = current;
    for (const [key, program] of current) {
      const { friendlyName: name, category, action } = program.classification;
      if (!previous.has(key))
        emit({ kind: 'process.started', payload: { name, category, action } });
      if (action !== 'terminate') continue;
      // Every process of a terminate program is ended, also one that restarted itself within a
      // poll and so looks like the same program.
      const fresh = program.pids.filter((pid) => !this.ended.has(pid));
      if (fresh.length > 0) void this.end(program.classification, fresh);
    }
    const running = new Set(list.map(({ pid }) => pid));
    for (const pid of this.ended) if (!running.has(pid)) this.ended.delete(pid);
    for (const pid of this.gone) if (!running.has(pid)) this.gone.delete(pid);
    for (const [key, { classification }] of previous) {
      if (current.has(key)) continue;
      const { friendlyName: name, category } = classification;
      emit({ kind: 'process.stopped', payload: { name, category } });
    }
  }

  /**
   * Ends `pids` of one program and journals the outcome; a program ended before is reported
   * with how many times it came back. Once ended, its processes leave the preflight list at
   * once rather than at the next poll.
   */
  private end(classification: RunningProgram['classification'], pids: number[]) {
    const { friendlyName: name, category } = classification;
    for (const pid of pids) this.ended.add(pid);
    const count = (this.endCounts.get(name) ?? 0) + 1;
    this.endCounts.set(name, count);
    const ending = (this.options.terminate ?? terminateProcesses)(pids).then((outcome) => {
      const payload = { name, category, outcome, ...(count > 1 ? { returns: count - 1 } : {}) };
      this.options.emit({ kind: 'process.terminated', payload });
      if (outcome === 'ended') for (const pid of pids) this.gone.add(pid);
      return outcome;
    });
    this.endings.add(ending);
    void ending.finally(() => this.endings.delete(ending));
    return ending;
  }
}
