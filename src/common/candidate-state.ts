import { offlineAfterMs } from './liveness';
import type { CandidateState } from './staff-api';

export interface JournalFacts {
  state: string;
  status: string | null;
  lastSeenAt: number;
  submitted: boolean;
  /** The submission's answers hash matched the server's copy (false only when submitted). */
  matches: boolean;
}

/**
 * The state the invigilator's list shows for a candidate's newest journal, at `now`, for an
 * exam whose clients beat every `heartbeatIntervalMs`.
 */
export function candidateState(
  journal: JournalFacts | null,
  now: number,
  heartbeatIntervalMs: number,
): CandidateState {
  if (!journal) return 'not-started';
  if (journal.state === 'awaiting-approval') return 'awaiting-approval';
  if (journal.submitted) return journal.matches ? 'submitted' : 'submission-mismatch';
  if (now - journal.lastSeenAt > offlineAfterMs(heartbeatIntervalMs)) return 'offline';
  switch (journal.status) {
    case 'in-progress':
    case 'locked':
    case 'paused':
    case 'submitting':
      return journal.status;
    default:
      return 'preflight';
  }
}
