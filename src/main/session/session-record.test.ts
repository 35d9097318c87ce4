import { describe, expect, it } from 'vitest';

import type { EventKind, EventPayload } from '../../common/events';
import { chainRecord, type JournalRecord } from '../../common/journal-record';

import { foldRecord, initialRecordState, type SessionRecordState } from './session-record';

const MINUTE = 60_000;

function fold(entries: { kind: EventKind; payload: unknown }[]): SessionRecordState {
  let previous: JournalRecord | null = null;
  let state = initialRecordState();
  for (const [index, { kind, payload }] of entries.entries()) {
    const record = chainRecord(previous, {
      kind,
      at: 1_000 + index,
      mono: index,
      payload: payload as EventPayload<EventKind>,
    });
    state = foldRecord(state, record);
    previous = record;
  }
  return state;
}

const addTime = (id: string, minutes: number) => ({
  kind: 'instruction.applied' as const,
  payload: { id, kind: 'add-time', minutes },
});

describe('the session state folded from the journal', () => {
  it('counts time added before the exam started', () => {
    const state = fold([
      { kind: 'session.started', payload: { examId: 'e', clientVersion: '1.0.0' } },
      addTime('i1', 15),
      { kind: 'preflight.passed', payload: { overridden: false } },
      { kind: 'exam.started', payload: { deadline: 100 * MINUTE } },
      addTime('i2', 5),
    ]);
    expect(state.deadline).toBe(120 * MINUTE);
    expect(state.applied).toEqual(['i1', 'i2']);
  });

  it('gives a pause back once, however often its resume is journaled', () => {
    const resumed = {
      kind: 'exam.resumed' as const,
      payload: { pausedMs: 70_000, instruction: 'r1' },
    };
    const state = fold([
      { kind: 'exam.started', payload: { deadline: 100 * MINUTE } },
      { kind: 'exam.paused', payload: { at: 10 * MINUTE } },
      resumed,
      // A crash before instruction.applied: the resume came again with the next heartbeat.
      resumed,
    ]);
    expect(state.deadline).toBe(100 * MINUTE + 70_000);
    expect(state.phase).toBe('in-progress');
  });

  it('tells the candidate an invigilator saw the hand, until it goes up again', () => {
    const raised = { kind: 'hand.raised' as const, payload: {} };
    const answered = { kind: 'hand.lowered' as const, payload: { by: 'invigilator' } };
    expect(fold([raised, answered]).handAnsweredAt).toBe(1_001);
    expect(fold([raised, answered, raised]).handAnsweredAt).toBeNull();
    expect(
      fold([raised, { kind: 'hand.lowered', payload: { by: 'candidate' } }]).handAnsweredAt,
    ).toBeNull();
    // An answer to no raised hand (a second one, from another dashboard) is no news.
    expect(fold([answered]).handAnsweredAt).toBeNull();
    // A second answer (another dashboard) does not move it.
    expect(fold([raised, answered, answered]).handAnsweredAt).toBe(1_001);
  });
});
