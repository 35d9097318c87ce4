import { randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';

import { loadServerConfig } from '../config';
import { DEFAULT_K, researchExport } from '../privacy/research-export';
import { auditedRetention, describeRetention } from '../privacy/retention-run';
import { subjectAccessExport } from '../privacy/subject-access';
import { audit } from '../repositories/audit';
import { findCandidate } from '../repositories/candidates';
import { declareGradesFinal, findExamByCode } from '../repositories/exams';
import { listLegalHolds, openLegalHold, releaseLegalHold } from '../repositories/legal-holds';

import { CLI_ACTOR, UsageError, withStorage } from './support';

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

/** `grades-final --exam CODE`: audited; the first declaration's time stands. */
export async function gradesFinalCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { exam: { type: 'string' } } });
  if (!values.exam) throw new UsageError('grades-final needs --exam CODE.');
  await withStorage(async ({ db, dialect }) => {
    const exam = await findExamByCode(db, values.exam!.toUpperCase());
    if (!exam) throw new UsageError(`No exam with code ${values.exam}.`);
    const now = Date.now();
    const since = new Date(await declareGradesFinal(db, exam.id, now)).toISOString();
    await audit(
      db,
      {
        ...CLI_ACTOR,
        action: 'exams.update',
        target: `/exams/${exam.id}`,
        outcome: 'ok',
        detail: `changed grades final since ${since}`,
      },
      now,
      dialect,
    );
    console.log(
      `${exam.code}: grades final since ${since}. The next retention run (daily, or vakt-server retention) removes its raw monitoring events, except what a legal hold keeps.`,
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

/** `add-recipient --name NAME --dpa REFERENCE`: who may receive research exports. */
export async function addRecipientCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { name: { type: 'string' }, dpa: { type: 'string' } },
  });
  const name = values.name?.trim() ?? '';
  const dpa = values.dpa?.trim() ?? '';
  if (!name || !dpa || name.length > 200 || dpa.length > 200)
    throw new UsageError(
      'add-recipient needs --name (the organisation) and --dpa (its data-processing agreement reference).',
    );
  await withStorage(async ({ db, dialect }) => {
    const now = Date.now();
    const id = randomUUID();
    await db
      .insertInto('research_recipients')
      .values({ id, name, dpa_reference: dpa, registered_by: 'cli', registered_at: now })
      .execute();
    await audit(
      db,
      {
        ...CLI_ACTOR,
        action: 'research.recipient',
        target: `/research-recipients/${id}`,
        outcome: 'ok',
        detail: `${name} (DPA ${dpa})`,
      },
      now,
      dialect,
    );
    console.log(`Registered ${name} (DPA ${dpa}) as research recipient ${id}.`);
  });
}

/**
 * `export-research --exam CODE --recipient ID [--k N] [--key-file F] [--free-text] --out FILE`:
 * a pseudonymised CSV for a registered recipient, audited.
 */
export async function exportResearchCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      exam: { type: 'string' },
      recipient: { type: 'string' },
      k: { type: 'string' },
      'key-file': { type: 'string' },
      'free-text': { type: 'boolean' },
      out: { type: 'string' },
    },
  });
  if (!values.exam || !values.recipient || !values.out)
    throw new UsageError('export-research needs --exam CODE, --recipient ID and --out FILE.');
  const k = values.k === undefined ? DEFAULT_K : Number(values.k);
  if (!Number.isInteger(k) || k < 2 || k > 1_000)
    throw new UsageError('--k must be a whole number from 2 to 1000.');
  let longitudinalKey: Buffer | undefined;
  if (values['key-file']) {
    longitudinalKey = await readFile(values['key-file']).catch(() => {
      throw new UsageError(`Cannot read the key file ${values['key-file']}.`);
    });
    if (longitudinalKey.length < 32)
      throw new UsageError('The longitudinal key file must hold at least 32 bytes.');
  }
  await withStorage(async ({ db, dialect }) => {
    const exam = await findExamByCode(db, values.exam!.toUpperCase());
    if (!exam) throw new UsageError(`No exam with code ${values.exam}.`);
    const recipient = await db
      .selectFrom('research_recipients')
      .selectAll()
      .where('id', '=', values.recipient!)
      .executeTakeFirst();
    if (!recipient)
      throw new UsageError(
        `No research recipient ${values.recipient}: register it with add-recipient.`,
      );
    const exported = await researchExport(db, exam.id, {
      k,
      freeText: values['free-text'] === true,
      ...(longitudinalKey ? { longitudinalKey } : {}),
    });
    await writeFile(values.out!, exported.csv, { mode: 0o600 });
    const now = Date.now();
    await audit(
      db,
      {
        ...CLI_ACTOR,
        action: 'research.export',
        target: `/exams/${exam.id}`,
        outcome: 'ok',
        detail: `to ${recipient.name} (DPA ${recipient.dpa_reference}); ${exported.rows} rows; k=${k}; ${longitudinalKey ? 'longitudinal key' : 'one-off key'}; free text ${values['free-text'] ? 'included' : 'withheld'}${exported.suppressed.length > 0 ? `; suppressed: ${exported.suppressed.join('; ')}` : ''}`,
      },
      now,
      dialect,
    );
    console.error(`Wrote ${exported.rows} rows for ${recipient.name} to ${values.out}.`);
    for (const reason of exported.suppressed) console.error(`  suppressed: ${reason}`);
  });
}
