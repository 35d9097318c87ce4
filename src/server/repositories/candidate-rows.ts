import { sql, type Kysely } from 'kysely';
import { z } from 'zod';

import { candidateState } from '../../common/candidate-state';
import { deadlineOf } from '../../common/deadline';
import { preflightBlockerSchema } from '../../common/events';
import type { CandidateRow } from '../../common/staff-api';
import { storedJson } from '../../common/validation';
import type { Database } from '../db/schema';

import type { Exam } from './exams';
import { timeCreditMs } from './instructions';

type Counts = CandidateRow['flags'];
type CandidateColumn =
  'journals.candidate_id' | 'server_flags.candidate_id' | 'instructions.candidate_id';
const noFlags = (): Counts => ({ low: 0, medium: 0, high: 0 });

/** How many of a group's flags someone has reviewed. */
function reviewedCount(table: 'records' | 'server_flags') {
  const flag = (column: string) => sql.ref(`${table}.${column}`);
  return sql<number>`sum(case when exists (select 1 from flag_reviews where flag_reviews.journal_id = ${flag('journal_id')} and flag_reviews.seq = ${flag('seq')}) then 1 else 0 end)`.as(
    'reviewed',
  );
}

/**
 * Unreviewed flags of a group found before the exam started (isBeforeStart in SQL): before
 * their journal's exam.started, or on a journal still in its checks that has not started.
 */
const beforeStartCount = sql<number>`sum(case when not exists (select 1 from flag_reviews where flag_reviews.journal_id = ${sql.ref('records.journal_id')} and flag_reviews.seq = ${sql.ref('records.seq')}) and (${sql.ref('records.seq')} < ${sql.ref('journals.started_seq')} or (${sql.ref('journals.started_seq')} is null and coalesce(${sql.ref('journals.status')}, 'preflight') = 'preflight')) then 1 else 0 end)`;

/**
 * The invigilator's rows for an exam, or for some of its candidates (`ids`, what a live
 * update names). Flags were scored at ingest, so this is a handful of grouped, indexed
 * queries whatever the size of the journals: a flag counts until someone reviews it.
 */
export async function candidateRows(
  db: Kysely<Database>,
  exam: Pick<Exam, 'id' | 'content' | 'policy' | 'closesAt'>,
  now: number,
  ids?: readonly string[],
): Promise<CandidateRow[]> {
  if (ids?.length === 0) return [];
  let candidateQuery = db
    .selectFrom('candidates')
    .selectAll()
    .where('exam_id', '=', exam.id)
    .orderBy('candidate_number');
  if (ids) candidateQuery = candidateQuery.where('id', 'in', ids);
  const candidates = await candidateQuery.execute();
  if (candidates.length === 0) return [];
  const candidateIds = candidates.map((candidate) => candidate.id);
  // Every query below is bounded to these candidates.
  const ofThese = (column: CandidateColumn) =>
    ids
      ? sql<boolean>`${sql.ref(column)} in (${sql.join(candidateIds)})`
      : sql<boolean>`${sql.ref(column)} in (select id from candidates where exam_id = ${exam.id})`;

  const journals = await db
    .selectFrom('journals')
    .leftJoin('submissions', 'submissions.journal_id', 'journals.id')
    .select([
      'journals.candidate_id',
      'journals.state',
      'journals.status',
      'journals.last_seen_at',
      'journals.client_version',
      'journals.watermark',
      'journals.client_head_seq',
      'journals.platform',
      'journals.preflight_blockers',
      'journals.battery_level',
      'journals.battery_charging',
      'journals.network',
      'submissions.matches',
      'submissions.journal_id as submitted',
    ])
    .where(ofThese('journals.candidate_id'))
    .where('journals.state', '!=', 'superseded')
    .orderBy('journals.created_at')
    .execute();
  // The newest non-superseded journal speaks for the candidate.
  const newest = new Map(journals.map((journal) => [journal.candidate_id, journal]));

  const recordFlags = await db
    .selectFrom('records')
    .innerJoin('journals', 'journals.id', 'records.journal_id')
    .select(['journals.candidate_id', 'records.severity'])
    .select((eb) => [
      eb.fn.countAll<number>().as('count'),
      reviewedCount('records'),
      beforeStartCount.as('before_start'),
    ])
    .where(ofThese('journals.candidate_id'))
    .where('records.severity', 'is not', null)
    // Twenty restarts of one program are one flag: repeats count with their first.
    .where('records.grouped_into', 'is', null)
    .groupBy(['journals.candidate_id', 'records.severity'])
    .execute();
  const serverFlags = await db
    .selectFrom('server_flags')
    .select(['server_flags.candidate_id', 'server_flags.severity'])
    .select((eb) => [eb.fn.countAll<number>().as('count'), reviewedCount('server_flags')])
    .where(ofThese('server_flags.candidate_id'))
    .groupBy(['server_flags.candidate_id', 'server_flags.severity'])
    .execute();
  const flags = new Map<string, Counts>();
  const reviewed = new Map<string, number>();
  const beforeStart = new Map<string, number>();
  for (const group of [...recordFlags, ...serverFlags]) {
    const done = Number(group.reviewed ?? 0);
    // Unreviewed findings from before the start: their own group, not the exam's flags.
    const early = 'before_start' in group ? Number(group.before_start ?? 0) : 0;
    reviewed.set(group.candidate_id, (reviewed.get(group.candidate_id) ?? 0) + done);
    beforeStart.set(group.candidate_id, (beforeStart.get(group.candidate_id) ?? 0) + early);
    const counts = flags.get(group.candidate_id) ?? noFlags();
    counts[group.severity as keyof Counts] += Number(group.count) - done - early;
    flags.set(group.candidate_id, counts);
  }

  // Per candidate: instructions not applied yet, messages not read yet, and the time given.
  const given = await db
    .selectFrom('instructions')
    .select('candidate_id')
    .select([
      sql<number>`sum(case when ${sql.ref('applied_at')} is null then 1 else 0 end)`.as('pending'),
      sql<number>`sum(case when ${sql.ref('kind')} = 'message' and ${sql.ref('read_at')} is null then 1 else 0 end)`.as(
        'unread',
      ),
      timeCreditMs.as('credit'),
    ])
    .where(ofThese('instructions.candidate_id'))
    .groupBy('candidate_id')
    .execute();
  const givenBy = new Map(given.map((row) => [row.candidate_id, row]));

  return candidates.map((candidate) => {
    const journal = newest.get(candidate.id) ?? null;
    return {
      id: candidate.id,
      candidateNumber: candidate.candidate_number,
      name: candidate.name,
      extraMinutes: candidate.extra_minutes,
      state: candidateState(
        journal && {
          state: journal.state,
          status: journal.status,
          lastSeenAt: journal.last_seen_at,
          submitted: journal.submitted !== null,
          matches: journal.matches !== 0,
        },
        now,
        exam.policy.heartbeatIntervalMs,
      ),
      lastSeenAt: journal?.last_seen_at ?? null,
      clientVersion: journal?.client_version ?? null,
      platform: (journal?.platform ?? null) as CandidateRow['platform'],
      watermark: journal?.watermark ?? 0,
      answered: candidate.answered,
      questions: exam.content.questions.length,
      waiting: journal ? Math.max(0, journal.client_head_seq - journal.watermark) : 0,
      flags: flags.get(candidate.id) ?? noFlags(),
      reviewed: reviewed.get(candidate.id) ?? 0,
      beforeStart: beforeStart.get(candidate.id) ?? 0,
      pendingInstructions: Number(givenBy.get(candidate.id)?.pending ?? 0),
      unreadMessages: Number(givenBy.get(candidate.id)?.unread ?? 0),
      endsAt:
        candidate.started_at === null
          ? null
          : deadlineOf(
              { closesAt: exam.closesAt, durationMinutes: exam.policy.timing.durationMinutes },
              candidate.extra_minutes,
              candidate.started_at,
              Number(givenBy.get(candidate.id)?.credit ?? 0),
            ),
      handRaisedAt: candidate.hand_raised_at,
      handText: candidate.hand_text,
      blockers: storedJson(blockerListSchema, journal?.preflight_blockers) ?? [],
      battery:
        journal?.battery_level == null
          ? null
          : { level: journal.battery_level, charging: journal.battery_charging === 1 },
      network: (journal?.network ?? null) as CandidateRow['network'],
    };
  });
}

const blockerListSchema = z.array(preflightBlockerSchema);
