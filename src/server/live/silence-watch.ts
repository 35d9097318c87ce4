import type { Kysely } from 'kysely';

import { offlineAfterMs } from '../../common/liveness';
import type { Database } from '../db/schema';
import { runningExams } from '../repositories/exams';
import { lastSeenBetween } from '../repositories/journals';

import type { LivePublisher } from './publish';

/** How often the server looks for laptops that fell silent. */
export const SILENCE_SWEEP_MS = 1_000;

/**
 * Notices silence: a laptop that stops sending heartbeats sends nothing else either, so no
 * request would ever tell a dashboard it went offline. Every sweep finds the journals whose
 * silence crossed their exam's offline threshold (liveness.ts) since the sweep before, and
 * publishes their candidates' rows; the heartbeat that ends the silence publishes the way back.
 * On several server nodes each one sweeps, and a dashboard may hear a row change twice.
 */
export class SilenceWatch {
  private timer: NodeJS.Timeout | null = null;
  private sweptUpTo: number | null = null;
  private sweeping: Promise<unknown> | null = null;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly live: LivePublisher,
    private readonly now: () => number,
    private readonly log: (line: string) => void = (line) => console.error(line),
  ) {}

  start(everyMs = SILENCE_SWEEP_MS): void {
    if (this.timer) return;
    this.sweptUpTo = this.now();
    this.timer = setInterval(() => {
      if (this.sweeping) return;
      this.sweeping = this.sweep()
        .catch((error: unknown) => this.log(`Silence sweep failed: ${(error as Error).message}`))
        .finally(() => (this.sweeping = null));
    }, everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.sweeping;
  }

  /** One sweep: publishes every candidate who went offline since the last; returns how many. */
  async sweep(): Promise<number> {
    const now = this.now();
    const from = this.sweptUpTo ?? now;
    this.sweptUpTo = now;
    if (now <= from) return 0;
    let published = 0;
    for (const exam of await runningExams(this.db, now)) {
      const threshold = offlineAfterMs(exam.policy.heartbeatIntervalMs);
      for (const candidateId of await lastSeenBetween(
        this.db,
        exam.id,
        from - threshold,
        now - threshold,
      )) {
        this.live.candidate(exam.id, candidateId);
        published += 1;
      }
    }
    return published;
  }
}
