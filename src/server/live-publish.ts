import type { JournalRecord } from '../common/journal-record';

import type { ServerContext } from './context';
import type { Exam } from './repositories/exams';
import type { ServerFlag } from './repositories/server-flags';
import { severityFor } from './severity';

/**
 * Tells dashboards a candidate changed, about each new record that is a flag, and about what
 * the server flagged itself.
 */
export async function publishStored(
  context: ServerContext,
  exam: Exam,
  candidateId: string,
  journalId: string,
  { stored, flags }: { stored: readonly JournalRecord[]; flags: readonly ServerFlag[] },
): Promise<void> {
  for (const flag of flags) {
    await context.feed.publish({
      type: 'flag',
      examId: exam.id,
      candidateId,
      journalId,
      seq: flag.seq ?? 0,
      kind: flag.kind,
      severity: flag.severity,
    });
  }
  if (stored.length === 0 && flags.length === 0) return;
  await context.feed.publish({ type: 'candidate', examId: exam.id, candidateId });
  for (const record of stored) {
    const severity = severityFor(record.kind, record.payload, exam.policy);
    if (severity === 'info') continue;
    await context.feed.publish({
      type: 'flag',
      examId: exam.id,
      candidateId,
      journalId,
      seq: record.seq,
      kind: record.kind,
      severity,
    });
  }
}
