import { useEffect, useRef, useState } from 'react';

import type { CandidateRow, LiveEvent } from '../common/staff-api';

import type { ApiError } from './api';
import { api, liveUrl } from './api';

export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'ended';

/**
 * The exam's Server-Sent Events. EventSource reconnects by itself; `onReopen` runs on every
 * reconnection (not the first), so what was missed meanwhile can be reloaded. An `end` event (access taken
 * away) or a refused stream stops it for good.
 */
export function useLiveEvents(
  examId: string,
  onEvent: (event: LiveEvent) => void,
  onReopen: () => void,
): LiveStatus {
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const handlers = useRef({ onEvent, onReopen });
  handlers.current = { onEvent, onReopen };
  useEffect(() => {
    const source = new EventSource(liveUrl(examId));
    let opened = false;
    const deliver = (message: MessageEvent<string>) => {
      try {
        handlers.current.onEvent(JSON.parse(message.data) as LiveEvent);
      } catch {
        // Not ours to understand: the next resync will catch up.
      }
    };
    source.addEventListener('open', () => {
      setStatus('live');
      // The first connection follows the page's own first load; a later one reloads what
      // was missed while the stream was down.
      if (opened) handlers.current.onReopen();
      opened = true;
    });
    for (const type of ['candidates', 'resync']) source.addEventListener(type, deliver);
    source.addEventListener('end', () => {
      source.close();
      setStatus('ended');
    });
    source.addEventListener('error', () => {
      setStatus(source.readyState === EventSource.CLOSED ? 'ended' : 'reconnecting');
    });
    return () => source.close();
  }, [examId]);
  return status;
}

/**
 * The live candidate table's rows: all of them when the stream (re)connects or resyncs, then
 * the rows each event names, in one request (the server already gathered them; an event names
 * at most LIVE_IDS_PER_EVENT). A row takes only the newest answer asked for it.
 */
export function useLiveRows(examId: string) {
  const [rows, setRows] = useState<ReadonlyMap<string, CandidateRow>>(new Map());
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  // Which request last asked for each row, and the last full load: an older answer never wins.
  const asked = useRef({ count: 0, full: 0, by: new Map<string, number>() });

  const loadAll = () => {
    const request = ++asked.current.count;
    asked.current.full = request;
    api.candidates({ examId }).then(
      ({ candidates }) => {
        if (asked.current.full !== request) return;
        setRows((previous) => {
          const next = new Map(candidates.map((row) => [row.id, row]));
          // A row asked for after this load began keeps what that newer answer brings.
          for (const [id, by] of asked.current.by) {
            const kept = previous.get(id);
            if (by > request && kept) next.set(id, kept);
          }
          return next;
        });
        setLoaded(true);
        setError(null);
      },
      (failure: ApiError) => setError(failure),
    );
  };
  const loadSome = (ids: readonly string[]) => {
    const request = ++asked.current.count;
    for (const id of ids) asked.current.by.set(id, request);
    api.candidates({ examId }, ids).then(
      ({ candidates }) =>
        setRows((previous) => {
          const next = new Map(previous);
          const answered = new Map(candidates.map((row) => [row.id, row]));
          for (const id of ids) {
            if (asked.current.by.get(id) !== request) continue;
            const row = answered.get(id);
            // Named but not answered: the candidate was removed.
            if (row) next.set(id, row);
            else next.delete(id);
          }
          return next;
        }),
      (failure: ApiError) => setError(failure),
    );
  };
  const status = useLiveEvents(
    examId,
    (event) => (event.type === 'resync' ? loadAll() : loadSome(event.candidateIds)),
    loadAll,
  );
  useEffect(loadAll, [examId]);
  return { rows, loaded, error, status };
}

/** The current time, ticking every `everyMs`: "20 s ago" moves without events. */
export function useNow(everyMs = 1_000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(id);
  }, [everyMs]);
  return now;
}
