import type { Storage } from '../db/database';
import { audit, type AuditEntry } from '../repositories/audit';

import { runRetention, type RetentionReport, type SchoolYearEnd } from './retention';

export type Actor = Pick<AuditEntry, 'actorId' | 'actorEmail' | 'address'>;

/** The server's own daily run, in the audit log. */
export const SERVER_ACTOR: Actor = { actorId: null, actorEmail: 'server', address: 'local' };

const DAY_MS = 24 * 60 * 60 * 1000;
const FIRST_RUN_MS = 60 * 1000;

/** One retention run (or dry run), audited with what it deleted or would delete. */
export async function auditedRetention(
  storage: Storage,
  options: { now: number; schoolYearEnd: SchoolYearEnd; dryRun: boolean; actor: Actor },
): Promise<RetentionReport> {
  const entry = {
    ...options.actor,
    action: options.dryRun ? ('retention.dry-run' as const) : ('retention.run' as const),
    target: 'retention',
  };
  let report: RetentionReport;
  try {
    report = await runRetention(storage, options);
  } catch (error) {
    const detail = `stopped: ${(error as Error).message}`.slice(0, 500);
    await audit(storage.db, { ...entry, outcome: 'failed', detail }, options.now, storage.dialect);
    throw error;
  }
  const detail = summary(report);
  await audit(storage.db, { ...entry, outcome: 'ok', detail }, options.now, storage.dialect);
  return report;
}

/** One line: how many rows of how many exams, the monitoring events emptied, what holds kept. */
export function summary(report: RetentionReport): string {
  const examsHeld = report.exams.filter((exam) => exam.examHeld).length;
  const candidatesHeld = report.exams.reduce((sum, exam) => sum + exam.heldCandidates, 0);
  const awaiting = report.exams.reduce((sum, exam) => sum + exam.awaitingHandover, 0);
  const exams = report.exams.filter((exam) => !exam.examHeld && exam.reason === 'retention');
  const verb = report.dryRun ? 'would delete' : 'deleted';
  const monitoring =
    report.monitoringRemoved > 0
      ? `; ${report.dryRun ? 'would remove' : 'removed'} ${report.monitoringRemoved} monitoring events (grades final)`
      : '';
  const handovers = awaiting > 0 ? `; ${awaiting} candidates wait for their hand-over` : '';
  return `${verb} ${report.total} rows of ${exams.length} exams${monitoring}; legal holds kept ${examsHeld} exams and ${candidatesHeld} candidates${handovers}`;
}

/** The report as lines for a person: one per exam, with its rows per table. */
export function describeRetention(report: RetentionReport): string[] {
  const lines = [summary(report).replace(/^./, (first) => first.toUpperCase()) + '.'];
  for (const exam of report.exams) {
    const date = new Date(exam.retainUntil).toISOString().slice(0, 10);
    const held =
      (exam.heldCandidates > 0 ? `; ${exam.heldCandidates} candidates held` : '') +
      (exam.awaitingHandover > 0 ? `; ${exam.awaitingHandover} awaiting hand-over` : '');
    if (exam.reason === 'grades-final') {
      lines.push(
        `  ${exam.code} (grades final): monitoring events ${exam.monitoringRemoved}${held}`,
      );
      continue;
    }
    if (exam.examHeld) {
      lines.push(`  ${exam.code} (retained until ${date}): held, nothing deleted`);
      continue;
    }
    const tables = Object.entries(exam.rows)
      .filter(([, n]) => n > 0)
      .map(([table, n]) => `${table} ${n}`)
      .join(', ');
    lines.push(`  ${exam.code} (retained until ${date}): ${tables || 'nothing left'}${held}`);
  }
  return lines;
}

/**
 * Runs retention a minute after start and then once a day, audited; a failed run is logged
 * and tried again the next day. Returns a function that stops it.
 */
export function scheduleRetention(
  storage: Storage,
  options: {
    schoolYearEnd: SchoolYearEnd;
    now: () => number;
    log: (line: string) => void;
    /** Told of each run's outcome (the metrics count them). */
    onRun?: (outcome: 'ok' | 'failed') => void;
  },
): () => void {
  const run = () => {
    auditedRetention(storage, {
      now: options.now(),
      schoolYearEnd: options.schoolYearEnd,
      dryRun: false,
      actor: SERVER_ACTOR,
    }).then(
      (report) => {
        options.onRun?.('ok');
        if (report.exams.length > 0) options.log(`Retention: ${summary(report)}`);
      },
      (error: unknown) => {
        options.onRun?.('failed');
        options.log(`Retention failed: ${(error as Error).message}`);
      },
    );
  };
  const first = setTimeout(run, FIRST_RUN_MS);
  const daily = setInterval(run, DAY_MS);
  first.unref();
  daily.unref();
  return () => {
    clearTimeout(first);
    clearInterval(daily);
  };
}
