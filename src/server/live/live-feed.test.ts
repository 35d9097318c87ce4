import { describe, expect, it } from 'vitest';

import { LIVE_IDS_PER_EVENT, type LiveEvent } from '../../common/staff-api';

import { liveEvents, notifyPayloads } from './live-feed';

const uuid = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

describe('liveEvents', () => {
  it('names each changed candidate once, in events a dashboard fetches at once', () => {
    const ids = new Set(Array.from({ length: 250 }, (_, i) => uuid(i)));
    const events = liveEvents(new Map([['e1', ids]]));
    expect(events.map((event) => event.type === 'candidates' && event.candidateIds.length)).toEqual(
      [LIVE_IDS_PER_EVENT, LIVE_IDS_PER_EVENT, 50],
    );
    expect(
      events.flatMap((event) => (event.type === 'candidates' ? event.candidateIds : [])),
    ).toEqual([...ids]);
  });

  it('sends a resync in place of the ids it makes moot', () => {
    expect(liveEvents(new Map([['e1', 'resync']]))).toEqual([{ type: 'resync', examId: 'e1' }]);
  });
});

describe('notifyPayloads', () => {
  it('splits a burst into payloads PostgreSQL accepts, losing none, in order', () => {
    const events: LiveEvent[] = Array.from({ length: 20 }, (_, exam) => ({
      type: 'candidates',
      examId: uuid(exam),
      candidateIds: Array.from({ length: LIVE_IDS_PER_EVENT }, (_, i) => uuid(i)),
    }));
    const payloads = notifyPayloads(events);
    expect(payloads.length).toBeGreaterThan(1);
    for (const payload of payloads) expect(Buffer.byteLength(payload)).toBeLessThan(8000);
    expect(payloads.flatMap((payload) => JSON.parse(payload) as LiveEvent[])).toEqual(events);
  });

  it('sends nothing for nothing', () => {
    expect(notifyPayloads([])).toEqual([]);
  });
});
