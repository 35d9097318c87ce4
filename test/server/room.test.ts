import { randomUUID } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import type { HeartbeatResponse } from '../../src/common/api';
import { STAFF_API_PREFIX, type CandidateRow } from '../../src/common/staff-api';
import { insertCandidate } from '../../src/server/repositories/candidates';
import { openJournal } from '../../src/server/repositories/journals';
import { insertSubmission } from '../../src/server/repositories/submissions';
import { candidateDeadline } from '../../src/server/sync/deadline';
import { DIALECTS } from '../support/databases';
import { ExamClient } from '../support/exam-client';
import { serverSuite } from '../support/server';
import { staffCookie } from '../support/staff';

/** Actions for the whole room, or a selection: one request, one audit entry, per-candidate results. */
describe.each(DIALECTS)('room actions on %s', (dialect) => {
  const suite = serverSuite(dialect);

  async function room() {
    const { server, db } = suite;
    const { cookie } = await staffCookie(server.app, db.storage, 'inv@vakt.test', 'invigilator', [
      server.exam.id,
    ]);
    const ids = await db.storage.db
      .selectFrom('candidates')
      .select(['id', 'candidate_number'])
      .where('exam_id', '=', server.exam.id)
      .orderBy('candidate_number')
      .execute();
    const send = (payload: unknown) =>
      server.app.inject({
        method: 'POST',
        url: `${STAFF_API_PREFIX}/exams/${server.exam.id}/instructions`,
        headers: { cookie },
        payload: payload as Record<string, unknown>,
      });
    return { ids: ids.map((row) => row.id), send, cookie };
  }

  it('pauses and resumes every candidate, giving each the paused time back', async () => {
    const { server, db } = suite;
    const { ids, send, cookie: staffSession } = await room();
    const clients = [
      new ExamClient(server.app),
      new ExamClient(server.app, {
        examCode: 'TEST-1',
        candidateNumber: '1002',
        personalCode: 'secret-2',
      }),
    ];
    // Kari's laptop runs the exam; Ola's is still in its checks: his clock does not run yet.
    for (const [index, client] of clients.entries()) {
      await client.signIn();
      await client.fetchPackage();
      await client.heartbeat(0, index === 0 ? 'in-progress' : 'preflight');
    }
    expect((await send({ candidates: 'all', kind: 'pause' })).json()).toMatchObject({
      sent: 1,
      refused: [{ candidateId: ids[1], code: 'not-running' }],
    });
    await clients[1]!.heartbeat(0, 'in-progress');
    expect((await send({ candidates: [ids[1]], kind: 'pause' })).json()).toEqual({
      sent: 1,
      refused: [],
    });
    const before = await candidateDeadline(db.storage.db, server.exam, ids[0]!);

    // The next heartbeat of each laptop carries the pause, with the server's time of it.
    for (const client of clients) {
      const reply = (await client.heartbeat()).json<HeartbeatResponse>();
      expect(reply.instructions).toMatchObject([{ kind: 'pause', at: server.clock.now }]);
    }
    // The list counts what waits for each laptop.
    const listed = await server.app.inject({
      url: `${STAFF_API_PREFIX}/exams/${server.exam.id}/candidates`,
      headers: { cookie: staffSession },
    });
    expect(
      listed
        .json<{ candidates: CandidateRow[] }>()
        .candidates.map((row) => row.pendingInstructions),
    ).toEqual([1, 1]);
    expect((await send({ candidates: 'all', kind: 'pause' })).json()).toMatchObject({
      sent: 0,
      refused: [{ code: 'already-paused' }, { code: 'already-paused' }],
    });
    // Locking a paused candidate would be lost on the laptop: resume first.
    expect((await send({ candidates: [ids[0]], kind: 'lock' })).json()).toMatchObject({
      refused: [{ code: 'paused' }],
    });

    server.clock.now += 90_000;
    // Two invigilators resume at once: each pause is given back once.
    const [first, second] = await Promise.all([
      send({ candidates: 'all', kind: 'resume' }),
      send({ candidates: 'all', kind: 'resume' }),
    ]);
    const results = [first.json(), second.json()] as { sent: number }[];
    expect(results.map((result) => result.sent).sort()).toEqual([0, 2]);
    for (const id of ids) {
      expect(await candidateDeadline(db.storage.db, server.exam, id)).toBe(before + 90_000);
    }

    // One audit entry per room action, naming everyone it went to.
    const audited = await db.storage.db
      .selectFrom('audit_log')
      .select(['action', 'detail'])
      .where('action', '=', 'candidates.instruct-room')
      .orderBy('seq')
      .execute();
    expect(audited[0]!.detail).toContain(`pause for 1 of 2: ${ids[0]}`);
  });

  it('sends to a selection, and says why it skipped the rest', async () => {
    const { server, db } = suite;
    const { ids, send } = await room();
    // Kari has handed in; a candidate of another exam is named by mistake.
    const journalId = randomUUID();
    await openJournal(db.storage.db, {
      journalId,
      candidateId: ids[0]!,
      deviceIdHash: 'd'.repeat(64),
      clientVersion: '1.0.0',
      publicKey: 'a'.repeat(64),
      now: server.clock.now,
    });
    await insertSubmission(db.storage.db, {
      journalId,
      candidateId: ids[0]!,
      clientHash: 'h',
      serverHash: 'h',
      headSeq: 1,
      receivedAt: server.clock.now,
    });
    const other = await db.storage.db
      .insertInto('exams')
      .values({
        ...(await db.storage.db
          .selectFrom('exams')
          .selectAll()
          .where('id', '=', server.exam.id)
          .executeTakeFirstOrThrow()),
        id: 'other-exam',
        code: 'OTHER-1',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const stranger = await insertCandidate(db.storage.db, other.id, {
      candidateNumber: '9001',
      name: 'Stranger',
      personalCode: 'secret-9',
    });

    const reply = await send({ candidates: [...ids, stranger.id], kind: 'add-time', minutes: 10 });
    expect(reply.statusCode).toBe(200);
    expect(reply.json()).toEqual({
      sent: 1,
      refused: [
        {
          candidateId: ids[0],
          code: 'already-submitted',
          message: 'The candidate has already handed in.',
        },
        { candidateId: stranger.id, code: 'not-found', message: 'No such candidate in this exam.' },
      ],
    });
    const queued = await db.storage.db.selectFrom('instructions').select('candidate_id').execute();
    expect(queued.map((row) => row.candidate_id)).toEqual([ids[1]]);
  });

  it('refuses a malformed room action whole, queuing nothing', async () => {
    const { db } = suite;
    const { ids, send } = await room();
    for (const payload of [
      { candidates: [], kind: 'pause' },
      { candidates: 'everyone', kind: 'pause' },
      { candidates: ids, kind: 'approve-preflight' },
      { candidates: ids, kind: 'add-time' },
      { candidates: ids, kind: 'pause', reason: 'not for a pause' },
      { candidates: Array.from({ length: 10_001 }, (_, i) => `c${i}`), kind: 'pause' },
    ]) {
      const reply = await send(payload);
      expect(reply.statusCode, JSON.stringify(payload).slice(0, 80)).toBe(400);
    }
    expect(await db.storage.db.selectFrom('instructions').selectAll().execute()).toEqual([]);
  });
});
