import { parseArgs } from 'node:util';

import { audit } from '../repositories/audit';
import { abandonHandover, retryHandover, undeliveredHandovers } from '../repositories/handovers';

import { CLI_ACTOR, UsageError, withStorage } from './support';

const day = (at: number) => `${new Date(at).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** `handovers`: what has not reached the downstream system, given-up ones first. */
export async function handoversCommand(): Promise<void> {
  await withStorage(async ({ db }) => {
    const pending = await undeliveredHandovers(db);
    if (pending.length === 0) console.log('Every hand-over is delivered.');
    for (const row of pending) {
      const state =
        row.dead_at === null ? `next try ${day(row.next_at)}` : `GIVEN UP ${day(row.dead_at)}`;
      const why = row.last_error ? `: ${row.last_error}` : '';
      // Whose it is: the admin asks the receiver about that candidate before retrying.
      const whose = `candidate ${row.candidate_number} in ${row.exam_code}`;
      console.log(`${row.id}  ${whose}  ${state}, ${row.attempts} attempts${why}`);
    }
  });
}

/** `retry-handover ID`: due at once, with three more days before it is given up on. */
export async function retryHandoverCommand(args: string[]): Promise<void> {
  const [id] = args;
  if (!id)
    throw new UsageError('retry-handover needs the hand-over id (see vakt-server handovers).');
  await withStorage(async ({ db, dialect }) => {
    const now = Date.now();
    if (!(await retryHandover(db, id, now)))
      throw new UsageError(`No undelivered hand-over ${id}.`);
    await audit(
      db,
      { ...CLI_ACTOR, action: 'handovers.retry', target: `/handovers/${id}`, outcome: 'ok' },
      now,
      dialect,
    );
    console.log(`Hand-over ${id} is due again: the running server sends it within a minute.`);
  });
}

/** `abandon-handover ID --reason TEXT`: never sent; retention no longer waits for it. */
export async function abandonHandoverCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { reason: { type: 'string' } },
  });
  const [id] = positionals;
  const reason = values.reason?.trim() ?? '';
  if (!id)
    throw new UsageError('abandon-handover needs the hand-over id (see vakt-server handovers).');
  if (reason.length === 0 || reason.length > 500)
    throw new UsageError(
      'abandon-handover needs --reason: how the receiver got the submission (at most 500 characters).',
    );
  await withStorage(async ({ db, dialect }) => {
    const now = Date.now();
    if (!(await abandonHandover(db, id, now)))
      throw new UsageError(`No undelivered hand-over ${id}.`);
    await audit(
      db,
      {
        ...CLI_ACTOR,
        action: 'handovers.abandon',
        target: `/handovers/${id}`,
        outcome: 'ok',
        detail: reason,
      },
      now,
      dialect,
    );
    console.log(`Hand-over ${id} abandoned: it is not sent, and retention no longer waits for it.`);
  });
}
