import type { ExamPackage } from '../../common/api';
import type { EventKind, EventPayload, PreflightBlocker } from '../../common/events';
import type { LifecyclePhase } from '../../common/session-phase';
import type { Logger } from '../logger';

import type { Monitoring } from './monitoring';

export interface ExamMonitorsOptions {
  /** The signed-in exam's package, or null. */
  examPackage: () => ExamPackage | null;
  /** Starts the monitors of this computer for the exam (`monitorThisComputer`). */
  start: (pkg: ExamPackage) => Promise<Monitoring>;
  record: <K extends EventKind>(kind: K, payload: EventPayload<K>) => Promise<void>;
  logger: Logger;
}

/**
 * The monitors of the signed-in exam, following the session's phases: started when preflight
 * begins (or a resumed exam goes on), stopped once the candidate has handed in or may leave. If they cannot start, that is journaled and kept as
 * the reason the exam cannot start: preflight fails closed (an invigilator can still let the
 * candidate start, through the session's approve-preflight instruction).
 */
export class ExamMonitors {
  private running: Monitoring | null = null;
  private starting: Promise<void> | null = null;
  private failure: string | null = null;
  /** The blockers last journaled, as JSON: only a change is journaled again. */
  private blockers: string | null = null;

  constructor(private readonly options: ExamMonitorsOptions) {}

  /** The monitors, while they run. */
  get current(): Monitoring | null {
    return this.running;
  }

  /** Why the monitors are not running after they were asked to start, or null. */
  get failed(): string | null {
    return this.failure;
  }

  /** The session's phase: the monitors run from preflight until submission or leaving. */
  follow(phase: LifecyclePhase): void {
    if (phase === 'submitted' || phase === 'exiting') void this.stop();
    else if (phase !== 'signed-out') void this.start();
  }

  /** Settles once a start under way has finished (at once when none is). */
  async ready(): Promise<void> {
    await this.starting;
  }

  /**
   * What the checks found keeps the exam from starting: journaled (`preflight.blocked`) when it
   * differs from what was last journaled, so the invigilator can read it without walking over.
   */
  async blocked(blockers: PreflightBlocker[]): Promise<void> {
    const text = JSON.stringify(blockers);
    if (text === this.blockers) return;
    this.blockers = text;
    await this.options.record('preflight.blocked', { blockers }).catch((error: unknown) => {
      this.blockers = null;
      this.options.logger.warn('journaling preflight.blocked', error);
    });
  }

  start(): Promise<void> {
    this.starting ??= this.startOnce().finally(() => {
      this.starting = null;
    });
    return this.starting;
  }

  async stop(): Promise<void> {
    await this.starting;
    const running = this.running;
    this.running = null;
    await running?.stop();
  }

  private async startOnce(): Promise<void> {
    const pkg = this.options.examPackage();
    if (!pkg || this.running) return;
    try {
      this.running = await this.options.start(pkg);
      this.failure = null;
    } catch (error) {
      this.failure = error instanceof Error ? error.message : String(error);
      this.options.logger.warn('the monitors could not start', error);
      await this.options
        .record('monitoring.failed', { reason: this.failure.slice(0, 200) })
        .catch((recordError: unknown) =>
          this.options.logger.warn('journaling monitoring.failed', recordError),
        );
    }
  }
}
