import type { Kysely } from 'kysely';

import type { Incident, Severity } from '../../common/staff-api';
import type { Database } from '../db/schema';

import { reviewsBy } from './reviews';

/**
 * Every flag of an exam — from the candidates' journals and from the server itself — with the
 * candidate and the newest review, in the order received: the incident report.
 */
export async function examIncidents(db: Kysely<Database>, examId: string): Promise<Incident[]> {
  const records = await db
    .selectFrom('records')
    .innerJoin('journals', 'journals.id', 'records.journal_id')
    .innerJoin('candidates', 'candidates.id', 'journals.candidate_id')
    .select([
      'candidates.id as candidate_id',
      'candidates.candidate_number',
      'candidates.name',
      'records.journal_id',
      'records.seq',
      'records.kind',
      'records.severity',
      'records.payload',
      'records.received_at',
    ])
    .where('candidates.exam_id', '=', examId)
    .where('records.severity', 'is not', null)
    // A repeat (a program started again) is part of its first flag's incident.
    .where('records.grouped_into', 'is', null)
    .execute();
  const flags = await db
    .selectFrom('server_flags')
    .innerJoin('candidates', 'candidates.id', 'server_flags.candidate_id')
    .select([
      'candidates.id as candidate_id',
      'candidates.candidate_number',
      'candidates.name',
      'server_flags.journal_id',
      'server_flags.seq',
      'server_flags.kind',
      'server_flags.severity',
      'server_flags.detail',
      'server_flags.at',
    ])
    .where('candidates.exam_id', '=', examId)
    .execute();
  const reviews = await reviewsBy(db, { examId });
  // The newest decision stands.
  const reviewOf = (journalId: string | null, seq: number | null) =>
    reviews.of(journalId, seq).at(-1) ?? null;
  const incidents: Incident[] = [
    ...records.map((record) => ({
      candidateId: record.candidate_id,
      candidateNumber: record.candidate_number,
      name: record.name,
      source: 'client' as const,
      journalId: record.journal_id,
      seq: record.seq,
      kind: record.kind,
      severity: record.severity as Severity,
      payload: JSON.parse(record.payload) as unknown,
      receivedAt: record.received_at,
      review: reviewOf(record.journal_id, record.seq),
    })),
    ...flags.map((flag) => ({
      candidateId: flag.candidate_id,
      candidateNumber: flag.candidate_number,
      name: flag.name,
      source: 'server' as const,
      journalId: flag.journal_id,
      seq: flag.seq,
      kind: flag.kind,
      severity: flag.severity as Severity,
      payload: { detail: flag.detail },
      receivedAt: flag.at,
      review: reviewOf(flag.journal_id, flag.seq),
    })),
  ];
  return incidents.sort(
    (a, b) => a.receivedAt - b.receivedAt || a.candidateNumber.localeCompare(b.candidateNumber),
  );
}
