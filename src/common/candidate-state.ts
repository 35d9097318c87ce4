import type { CandidateState } from './staff-api';

/** No heartbeat for this long and the candidate shows as offline (three missed at 10 s). */
export const OFFLINE_AFTER_MS = 35_000;

export interface JournalFacts {
  state: string;
  status: string | null;
  lastSeenAt: number;
  submitted: boolean;
  /** The submission's answers hash matched the server's copy (false only when submitted). */
  matches: boolean;
}

/** The state the invigilator's list shows for a candidate's newest journal. */
export function candidateState(journal: JournalFacts | null, now: number): CandidateState {
  if (!journal) return 'not-started';
  if (journal.state === 'awaiting-approval') return 'awaiting-approval';
  if (journal.submitted) return journal.matches ? 'submitted' : 'submission-mismatch';
  if (now - journal.lastSeenAt > OFFLINE_AFTER_MS) return 'offline';
  switch (journal.status) {
    case 'in-progress':
    case 'locked':
    case 'submitting':
      return journal.status;
    default:
      return 'preflight';
  }
}
