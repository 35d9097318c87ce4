import { describe, expect, it } from 'vitest';

import type { LiveEvent } from '../../common/staff-api';

import { notifyPayloads } from './live-feed';

const flag = (seq: number): LiveEvent => ({
  type: 'flag',
  examId: 'e1',
  candidateId: `c${seq % 7}`,
  journalId: 'j'.repeat(36),
  seq,
  kind: 'process.started',
  severity: 'high',
});

describe('notifyPayloads', () => {
  it('names a changed candidate once, keeps every flag, in order', () => {
    const events: LiveEvent[] = [
      { type: 'candidate', examId: 'e1', candidateId: 'c1' },
      flag(1),
      { type: 'candidate', examId: 'e1', candidateId: 'c1' },
      { type: 'candidate', examId: 'e2', candidateId: 'c1' },
      flag(2),
    ];
    const [payload, ...rest] = notifyPayloads(events);
    expect(rest).toEqual([]);
    expect(JSON.parse(payload!)).toEqual([events[0], events[1], events[3], events[4]]);
  });

  it('splits a burst into payloads PostgreSQL accepts, losing none', () => {
    const events = Array.from({ length: 500 }, (_, i) => flag(i + 1));
    const payloads = notifyPayloads(events);
    expect(payloads.length).toBeGreaterThan(1);
    for (const payload of payloads) expect(Buffer.byteLength(payload)).toBeLessThan(8000);
    expect(payloads.flatMap((payload) => JSON.parse(payload) as LiveEvent[])).toEqual(events);
  });

  it('sends nothing for nothing', () => {
    expect(notifyPayloads([])).toEqual([]);
  });
});
