import { useEffect, useRef, useState } from 'react';

import { MAX_ROW_IDS, type CandidateRow, type LiveEvent } from '../common/staff-api';

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
 * the rows the events name. Events that arrive together (one flush of the server's feed) are
 * fetched together, MAX_ROW_IDS at a time. Every request is numbered, and a row (or its
 * removal) is taken only from an answer newer than the one that set it last.
 */
export function useLiveRows(examId: string) {
  const [rows, setRows] = useState<ReadonlyMap<string, CandidateRow>>(new Map());
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const shown = useRef<ReadonlyMap<string, CandidateRow>>(new Map());
  /** The number of the request each row (or its removal) was last taken from. */
  const version = useRef({ count: 0, of: new Map<string, number>() });
  const named = useRef(new Set<string>());

  const show = (next: ReadonlyMap<string, CandidateRow>) => {
    shown.current = next;
    setRows(next);
  };
  /** Takes what request `request` answered about `ids` (all rows when `ids` is null). */
  const take = (
    request: number,
    answer: readonly CandidateRow[],
    ids: readonly string[] | null,
  ) => {
    const { of } = version.current;
    const next = new Map(shown.current);
    const answered = new Map(answer.map((row) => [row.id, row]));
    for (const id of ids ?? new Set([...next.keys(), ...answered.keys()])) {
      if ((of.get(id) ?? 0) > request) continue;
      of.set(id, request);
      const row = answered.get(id);
      // Asked for and not answered: the candidate was removed.
      if (row) next.set(id, row);
      else next.delete(id);
    }
    show(next);
  };

  const loadAll = () => {
    const request = ++version.current.count;
    api.candidates({ examId }).then(
      ({ candidates }) => {
        take(request, candidates, null);
        setLoaded(true);
        setError(null);
      },
      (failure: ApiError) => setError(failure),
    );
  };
  const loadNamed = () => {
    const ids = [...named.current];
    named.current.clear();
    for (let at = 0; at < ids.length; at += MAX_ROW_IDS) {
      const some = ids.slice(at, at + MAX_ROW_IDS);
      const request = ++version.current.count;
      api.candidates({ examId }, some).then(
        ({ candidates }) => take(request, candidates, some),
        (failure: ApiError) => setError(failure),
      );
    }
  };
  const status = useLiveEvents(
    examId,
    (event) => {
      if (event.type === 'resync') return loadAll();
      // Gathered for one turn: the events of one flush arrive in one piece.
      if (named.current.size === 0) setTimeout(loadNamed, 0);
      for (const id of event.candidateIds) named.current.add(id);
    },
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
