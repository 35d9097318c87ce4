import { sql, type Kysely } from 'kysely';

import type { EventKind } from '../../common/events';
import type { Database } from '../db/schema';

/**
 * Raw monitoring events: what the client's monitors saw of the laptop (programs, leaving the
 * exam window, displays, signs of a virtual machine or a remote session). They go once an
 * exam's grades are final; the rest of the exam log stays until the retention date.
 */
export const MONITORING_KINDS = [
  'process.started',
  'process.stopped',
  'process.terminated',
  'focus.lost',
  'focus.regained',
  'display.changed',
  'vm.evidence',
  'remote-session.detected',
  'preflight.blocked',
] as const satisfies readonly EventKind[];

/**
 * What a removed event's payload becomes. The record keeps its place in the journal's hash
 * chain (sequence number, kind, times, hashes and a flag's severity and reviews): a later
 * upload still chains onto it, and a reviewer still sees that something was flagged and what
 * was decided, but not what the monitors saw.
 */
export const REMOVED_PAYLOAD = '{"removed":"grades-final"}';

/**
 * Empties (or with `dryRun` counts) the payloads of the raw monitoring events of `candidates`
 * not already emptied.
 */
export async function removeMonitoring(
  trx: Kysely<Database>,
  candidates: readonly string[],
  dryRun: boolean,
): Promise<number> {
  if (candidates.length === 0) return 0;
  const journals = trx.selectFrom('journals').select('id').where('candidate_id', 'in', candidates);
  const where = sql<boolean>`journal_id in (${journals}) and kind in (${sql.join(MONITORING_KINDS)}) and payload <> ${REMOVED_PAYLOAD}`;
  if (dryRun) {
    const { rows } = await sql<{
      n: number | string;
    }>`select count(*) as n from records where ${where}`.execute(trx);
    return Number(rows[0]?.n ?? 0);
  }
  // What kept a candidate in the checks, and what the laptop said of its battery and network,
  // go with what the monitors saw; so does where the candidate last was in the exam.
  await trx
    .updateTable('journals')
    .set({ preflight_blockers: null, battery_level: null, battery_charging: null, network: null })
    .where('candidate_id', 'in', candidates)
    .execute();
  await trx.updateTable('candidates').set({ place: null }).where('id', 'in', candidates).execute();
  // The program name a repeated flag is grouped by goes with the payload it came from.
  const result =
    await sql`update records set payload = ${REMOVED_PAYLOAD}, group_key = null where ${where}`.execute(
      trx,
    );
  return Number(result.numAffectedRows ?? 0);
}
