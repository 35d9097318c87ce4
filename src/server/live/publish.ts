import type { ServerFlag } from '../repositories/server-flags';
import type { StoredRecord } from '../sync/effects';

import type { LiveFeed } from './live-feed';

/** What a batch stored, as ingest returns it. */
export interface StoredBatch {
  stored: readonly StoredRecord[];
  flags: readonly ServerFlag[];
}

/**
 * Tells dashboards what changed, by id only: a dashboard fetches the rows (and a candidate
 * page the timeline entries) it shows anew. Built once by the composition root over the feed.
 */
export class LivePublisher {
  constructor(private readonly feed: LiveFeed) {}

  /** A candidate's row or timeline changed (state, counts, a held device, a review). */
  candidate(examId: string, candidateId: string): void {
    this.feed.changed(examId, candidateId);
  }

  /** A batch was stored: its records and what the server flagged are the candidate's news. */
  stored(examId: string, candidateId: string, { stored, flags }: StoredBatch): void {
    if (stored.length > 0 || flags.length > 0) this.candidate(examId, candidateId);
  }

  /** Everything shown of the exam may have changed (candidates imported). */
  resync(examId: string): void {
    this.feed.resync(examId);
  }
}
