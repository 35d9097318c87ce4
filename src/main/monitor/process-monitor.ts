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
  private readonly ending = new Set<string>();
  private readonly repeater: Repeater;

  constructor(private readonly options: ProcessMonitorOptions) {
    this.repeater = new Repeater(options.timers, options.intervalMs, () => this.diff());
  }

  start(): void {
    this.repeater.start();
  }

  stop(): Promise<void> {
    return this.repeater.stop();
  }

  /** One snapshot and diff (what the timer runs). */
  poll(): Promise<void> {
    return this.repeater.run();
  }

  /** What must be closed before the exam starts. */
  preflight(): PreflightProgram[] {
    return [...this.programs.values()].map(({ classification }) => ({
      friendlyName: classification.friendlyName,
      category: classification.category,
      action: classification.action,
    }));
  }

  /** The candidate's close button in preflight: ends every process of one program. */
  async close(friendlyName: string): Promise<TerminateOutcome> {
    const program = this.programs.get(friendlyName);
    if (!program) return 'ended';
    return this.end(program);
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
      if (previous.has(key)) continue;
      const { friendlyName: name, category, action } = program.classification;
      emit({ kind: 'process.started', payload: { name, category, action } });
      if (action === 'terminate') void this.end(program);
    }
    for (const [key, { classification }] of previous) {
      if (current.has(key)) continue;
      const { friendlyName: name, category } = classification;
      emit({ kind: 'process.stopped', payload: { name, category } });
    }
  }

  private async end(program: RunningProgram): Promise<TerminateOutcome> {
    const { friendlyName: name, category } = program.classification;
    if (this.ending.has(name)) return 'still-running';
    this.ending.add(name);
    try {
      const outcome = await (this.options.terminate ?? terminateProcesses)(program.pids);
      this.options.emit({ kind: 'process.terminated', payload: { name, category, outcome } });
      return outcome;
    } finally {
      this.ending.delete(name);
    }
  }
}
