import type { ServerFlag } from '../repositories/server-flags';
import type { StoredRecord } from '../sync/effects';

import type { LiveFeed } from './live-feed';

/** What a batch stored, as ingest returns it. */
export interface StoredBatch {
  stored: readonly StoredRecord[];
  flags: readonly ServerFlag[];
}

/**
 * Tells dashboards what changed: built once by the composition root over the live feed. The
 * severity of each stored record is the one ingest gave it when storing, never computed again.
 */
export class LivePublisher {
  constructor(private readonly feed: LiveFeed) {}

  /** A candidate's row changed (state, counts, a held device). */
  candidate(examId: string, candidateId: string): Promise<void> {
    return this.feed.publish({ type: 'candidate', examId, candidateId });
  }

  /** A batch was stored: the candidate's row, each new flag, and what the server flagged. */
  async stored(
    examId: string,
    candidateId: string,
    journalId: string,
    { stored, flags }: StoredBatch,
  ): Promise<void> {
    const where = { type: 'flag' as const, examId, candidateId, journalId };
    for (const flag of flags) {
      await this.feed.publish({
        ...where,
        seq: flag.seq ?? 0,
        kind: flag.kind,
        severity: flag.severity,
      });
    }
    if (stored.length === 0 && flags.length === 0) return;
    await this.candidate(examId, candidateId);
    for (const { record, severity } of stored) {
      if (severity === null) continue;
      await this.feed.publish({ ...where, seq: record.seq, kind: record.kind, severity });
    }
  }
}
