import type { JournalRecord } from '../common/journal-record';

import type { ServerContext } from './context';
import type { Exam } from './repositories/exams';
import { severityFor } from './severity';

/** Tells dashboards a candidate changed, and about each new record that is a flag. */
export async function publishStored(
  context: ServerContext,
  exam: Exam,
  candidateId: string,
  journalId: string,
  stored: readonly JournalRecord[],
): Promise<void> {
  if (stored.length === 0) return;
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
