import { describe, expect, it } from 'vitest';

import {
  STAFF_API_PREFIX,
  type CandidateRow,
  type TimelineEntry,
} from '../../src/common/staff-api';
import { DIALECTS } from '../support/databases';
import { ExamClient } from '../support/exam-client';
import { candidateIdOf, serverSuite } from '../support/server';
import { staffCookie } from '../support/staff';

/** A program started twenty times is one flag with a count, not twenty to review one by one. */
describe.each(DIALECTS)('repeated flags on %s', (dialect) => {
  const suite = serverSuite(dialect);

  it('counts 20 restarts of one program as one flag, until someone reviews it', async () => {
    const { server, db } = suite;
    const { cookie } = await staffCookie(server.app, db.storage, 'admin@vakt.test', 'admin');
    const client = new ExamClient(server.app);
    await client.signIn();
    await client.fetchPackage();
    client.append('exam.started', { deadline: server.clock.now + 3_600_000 });
    const anyDesk = { name: 'AnyDesk', category: 'remote-access', action: 'terminate' } as const;
    const first = client.append('process.started', anyDesk);
    // In two uploads: the group spans batches.
    expect((await client.sync([...client.records])).statusCode).toBe(200);
    for (let i = 1; i < 20; i += 1) {
      client.append('process.stopped', { name: 'AnyDesk', category: 'remote-access' });
      client.append('process.started', anyDesk);
    }
    client.append('process.started', {
      name: 'Discord',
      category: 'communication',
      action: 'flag',
    });
    expect((await client.sync([...client.records])).statusCode).toBe(200);

    const get = (path: string) =>
      server.app.inject({
        url: `${STAFF_API_PREFIX}/exams/${server.exam.id}${path}`,
        headers: { cookie },
      });
    const row = async () =>
      (await get('/candidates')).json<{ candidates: CandidateRow[] }>().candidates[0]!;
    const timeline = async (candidateId: string) =>
      (await get(`/candidates/${candidateId}/timeline`))
        .json<{ entries: TimelineEntry[] }>()
        .entries.filter((entry) => entry.kind === 'process.started');

    const kari = await row();
    expect(kari.flags).toEqual({ high: 1, medium: 1, low: 0 });
    const started = await timeline(kari.id);
    expect(started.map((entry) => [entry.seq, entry.repeats])).toEqual([
      [first.seq, 20],
      [expect.any(Number), 1],
    ]);
    expect(started[0]!.lastAt).not.toBeNull();
    const incidents = (await get('/incidents')).json<{ incidents: { kind: string }[] }>().incidents;
    expect(incidents.filter((incident) => incident.kind === 'process.started')).toHaveLength(2);

    // Reviewed: the next start is a flag of its own again.
    await server.app.inject({
      method: 'POST',
      url: `${STAFF_API_PREFIX}/exams/${server.exam.id}/candidates/${kari.id}/reviews`,
      headers: { cookie },
      payload: {
        journalId: client.journalId,
        seq: first.seq,
        decision: 'note',
        comment: 'Spoke to her',
      },
    });
    client.append('process.started', anyDesk);
    expect((await client.sync([...client.records])).statusCode).toBe(200);
    expect((await row()).flags).toEqual({ high: 1, medium: 1, low: 0 });
    expect((await timeline(kari.id)).map((entry) => entry.repeats)).toEqual([20, 1, 1]);
  });

  it('reviews several flags at once with one comment, all or none', async () => {
    const { server, db } = suite;
    const { cookie } = await staffCookie(server.app, db.storage, 'admin@vakt.test', 'admin');
    const client = new ExamClient(server.app);
    await client.signIn();
    await client.fetchPackage();
    client.append('exam.started', { deadline: server.clock.now + 3_600_000 });
    const flags = ['AnyDesk', 'Discord', 'TeamViewer'].map((name) =>
      client.append('process.started', { name, category: 'remote-access', action: 'flag' }),
    );
    expect((await client.sync([...client.records])).statusCode).toBe(200);
    const candidateId = await candidateIdOf(db.storage, '1001');
    const review = (seqs: number[]) =>
      server.app.inject({
        method: 'POST',
        url: `${STAFF_API_PREFIX}/exams/${server.exam.id}/candidates/${candidateId}/reviews/batch`,
        headers: { cookie },
        payload: {
          flags: seqs.map((seq) => ({ journalId: client.journalId, seq })),
          decision: 'dismiss',
          comment: 'The school’s remote-help tools, closed at the start',
        },
      });
    // One seq that is not a record of this candidate: nothing is reviewed.
    expect((await review([flags[0]!.seq, 999])).statusCode).toBe(404);
    expect(await db.storage.db.selectFrom('flag_reviews').selectAll().execute()).toEqual([]);

    expect((await review(flags.map((flag) => flag.seq))).json()).toEqual({ reviewed: 3 });
    const rows = await server.app.inject({
      url: `${STAFF_API_PREFIX}/exams/${server.exam.id}/candidates`,
      headers: { cookie },
    });
    expect(rows.json<{ candidates: CandidateRow[] }>().candidates[0]).toMatchObject({
      flags: { high: 0, medium: 0, low: 0 },
      reviewed: 3,
    });
  });
});
