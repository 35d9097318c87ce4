import { parseArgs } from 'node:util';

import { CLI_ACTOR, UsageError, withStorage } from './cli-support';
import { loadServerConfig } from './config';
import { auditedRetention, describeRetention } from './privacy/retention-run';
import { subjectAccessExport } from './privacy/subject-access';
import { audit } from './repositories/audit';
import { findCandidate } from './repositories/candidates';
import { findExamByCode } from './repositories/exams';
import { listLegalHolds, openLegalHold, releaseLegalHold } from './repositories/legal-holds';

/** `retention [--dry-run]`: one audited run, its report printed. */
export async function retentionCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { 'dry-run': { type: 'boolean' } } });
  const { schoolYearEnd } = loadServerConfig();
  await withStorage(async (storage) => {
    const report = await auditedRetention(storage, {
      now: Date.now(),
      schoolYearEnd,
      dryRun: values['dry-run'] === true,
      actor: CLI_ACTOR,
    });
    for (const line of describeRetention(report)) console.log(line);
  });
}

/** A YYYY-MM-DD date as the start of that day (UTC), in the future. */
function reviewDate(text: string | undefined, now: number): number {
  const at = text && /^\d{4}-\d{2}-\d{2}$/.test(text) ? Date.parse(`${text}T00:00:00Z`) : NaN;
  if (Number.isNaN(at)) throw new UsageError('--review must be a date as YYYY-MM-DD.');
  if (at <= now) throw new UsageError('--review must be a date in the future.');
  return at;
}

/** `hold --exam CODE [--candidate NUMBER] --reason TEXT --review YYYY-MM-DD`. */
export async function holdCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      exam: { type: 'string' },
      candidate: { type: 'string' },
      reason: { type: 'string' },
      review: { type: 'string' },
    },
  });
  const now = Date.now();
  const reason = values.reason?.trim() ?? '';
  if (!values.exam) throw new UsageError('hold needs --exam CODE.');
  if (reason.length === 0 || reason.length > 500)
    throw new UsageError(
      'hold needs --reason: why the data must be kept (at most 500 characters).',
    );
  const reviewAt = reviewDate(values.review, now);
  await withStorage(async ({ db, dialect }) => {
    const exam = await findExamByCode(db, values.exam!.toUpperCase());
    if (!exam) throw new UsageError(`No exam with code ${values.exam}.`);
    let candidateId: string | null = null;
    if (values.candidate !== undefined) {
      const candidate = await findCandidate(db, exam.id, values.candidate);
      if (!candidate) throw new UsageError(`${exam.code} has no candidate ${values.candidate}.`);
      candidateId = candidate.id;
    }
    const hold = await openLegalHold(
      db,
      { examId: exam.id, candidateId, reason, reviewAt, openedBy: 'cli' },
      now,
    );
    await audit(
      db,
      {
        ...CLI_ACTOR,
        action: 'legal-holds.open',
        target: `/legal-holds/${hold.id}`,
        outcome: 'ok',
        detail: `exam ${exam.code}${candidateId ? `, candidate ${candidateId}` : ', whole exam'}`,
      },
      now,
      dialect,
    );
    console.log(
      `Legal hold ${hold.id} opened on ${exam.code}${values.candidate ? `, candidate ${values.candidate}` : ''}; review by ${values.review}.`,
    );
  });
}

export async function holdsCommand(): Promise<void> {
  await withStorage(async ({ db }) => {
    const holds = await listLegalHolds(db);
    if (holds.length === 0) console.log('No legal holds.');
    for (const hold of holds) {
      const day = (at: number) => new Date(at).toISOString().slice(0, 10);
      const state =
        hold.released_at === null
          ? `open, review ${day(hold.review_at)}`
          : `released ${day(hold.released_at)}`;
      const scope = hold.candidate_id ? `candidate ${hold.candidate_id}` : 'whole exam';
      console.log(`${hold.id}  ${state}  exam ${hold.exam_id}, ${scope}: ${hold.reason}`);
    }
  });
}

export async function releaseHoldCommand(args: string[]): Promise<void> {
  const [id] = args;
  if (!id) throw new UsageError('release-hold needs the hold id (see vakt-server holds).');
  await withStorage(async ({ db, dialect }) => {
    const now = Date.now();
    if (!(await releaseLegalHold(db, id, 'cli', now)))
      throw new UsageError(`No open legal hold ${id}.`);
    await audit(
      db,
      { ...CLI_ACTOR, action: 'legal-holds.release', target: `/legal-holds/${id}`, outcome: 'ok' },
      now,
      dialect,
    );
    console.log(`Legal hold ${id} released: the next retention run deletes what it kept, if due.`);
  });
}

/** `export-subject --exam CODE --candidate NUMBER`: everything held about one candidate, as JSON. */
export async function exportSubjectCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { exam: { type: 'string' }, candidate: { type: 'string' } },
  });
  if (!values.exam || !values.candidate)
    throw new UsageError('export-subject needs --exam CODE and --candidate NUMBER.');
  const config = loadServerConfig();
  await withStorage(async ({ db, dialect }) => {
    const exam = await findExamByCode(db, values.exam!.toUpperCase());
    if (!exam) throw new UsageError(`No exam with code ${values.exam}.`);
    const candidate = await findCandidate(db, exam.id, values.candidate!);
    if (!candidate) throw new UsageError(`${exam.code} has no candidate ${values.candidate}.`);
    const now = Date.now();
    const exported = await subjectAccessExport(db, exam.id, candidate.id, {
      now,
      schoolYearEnd: config.schoolYearEnd,
      recipient: config.handover ? new URL(config.handover.url).host : null,
    });
    await audit(
      db,
      {
        ...CLI_ACTOR,
        action: 'subject-access.export',
        target: `/exams/${exam.id}/candidates/${candidate.id}/subject-access`,
        outcome: 'ok',
      },
      now,
      dialect,
    );
    console.log(JSON.stringify(exported, null, 2));
  });
}
