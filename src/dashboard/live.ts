import { useEffect, useRef, useState } from 'react';

import { MAX_ROW_IDS, type CandidateRow, type LiveEvent } from '../common/staff-api';

import type { ApiError } from './api';
import { api, liveUrl } from './api';

export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'ended';

/** At most this often a burst of live events becomes one request for the rows they name. */
const BATCH_MS = 200;

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
    for (const type of ['candidate', 'flag', 'resync']) source.addEventListener(type, deliver);
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
 * only the rows live events name, fetched together in one request per batch.
 */
export function useLiveRows(examId: string) {
  const [rows, setRows] = useState<ReadonlyMap<string, CandidateRow>>(new Map());
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const dirty = useRef(new Set<string>());
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const loadAll = () => {
    api.candidates({ examId }).then(
      ({ candidates }) => {
        setRows(new Map(candidates.map((row) => [row.id, row])));
        setLoaded(true);
        setError(null);
      },
      (failure: ApiError) => setError(failure),
    );
  };
  const flush = () => {
    timer.current = null;
    const ids = [...dirty.current].slice(0, MAX_ROW_IDS);
    for (const id of ids) dirty.current.delete(id);
    if (dirty.current.size > 0) timer.current = setTimeout(flush, BATCH_MS);
    api.candidates({ examId }, ids).then(
      ({ candidates }) =>
        setRows((previous) => {
          const next = new Map(previous);
          for (const row of candidates) next.set(row.id, row);
          return next;
        }),
      (failure: ApiError) => setError(failure),
    );
  };
  const status = useLiveEvents(
    examId,
    (event) => {
      if (event.type === 'resync') return loadAll();
      dirty.current.add(event.candidateId);
      timer.current ??= setTimeout(flush, BATCH_MS);
    },
    loadAll,
  );
  useEffect(() => {
    loadAll();
    return () => {
      if (timer.current) clearTimeout(timer.current);
    };
  }, [examId]);
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
