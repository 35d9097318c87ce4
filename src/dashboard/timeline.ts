import { useCallback, useEffect, useMemo, useRef, useState } from 'react';

import {
  TIMELINE_SINCE_MARGIN_MS,
  type TimelineEntry,
  type TimelinePage,
} from '../common/staff-api';

import { api, type ApiError } from './api';

/** One timeline entry's identity: a review or a repeat changes the entry, never its key. */
export function entryKey(entry: TimelineEntry): string {
  return `${entry.source}-${entry.journalId}-${entry.seq}-${entry.receivedAt}-${entry.kind}`;
}

/** The server's order: by receipt, then journal records before server flags, then journal order. */
function byReceipt(a: TimelineEntry, b: TimelineEntry): number {
  return (
    a.receivedAt - b.receivedAt ||
    (a.source === b.source ? 0 : a.source === 'client' ? -1 : 1) ||
    (a.journalId ?? '').localeCompare(b.journalId ?? '') ||
    (a.seq ?? 0) - (b.seq ?? 0)
  );
}

/**
 * A candidate's timeline, a page at a time: the newest page, older pages on request
 * (`earlier`), and what changed since the last read merged in on `refresh` (a live event named
 * the candidate; a review). Never reloaded whole but on `reload` (the stream reconnected). One
 * request at a time: a refresh asked for meanwhile runs once, after it.
 */
export function useTimeline(
  params: { examId: string; candidateId: string },
  onFailure: (error: ApiError) => void,
) {
  const { examId, candidateId } = params;
  const [entries, setEntries] = useState<ReadonlyMap<string, TimelineEntry> | null>(null);
  const [more, setMore] = useState(false);
  // One read at a time; what was asked for meanwhile runs after it (a reload outranks a refresh).
  const state = useRef({
    asOf: 0,
    oldest: 0,
    busy: false,
    next: null as 'reload' | 'refresh' | null,
  });
  const failure = useRef(onFailure);
  failure.current = onFailure;

  const merge = (page: TimelinePage, replace: boolean) =>
    setEntries((previous) => {
      const next = new Map(replace ? [] : (previous ?? []));
      for (const entry of page.entries) next.set(entryKey(entry), entry);
      return next;
    });

  const run = useCallback(
    (kind: 'reload' | 'refresh') => {
      const now = state.current;
      // Nothing to refresh before the first page: it is on its way, and a refresh follows it.
      const what = now.asOf === 0 && kind === 'refresh' && !now.busy ? 'reload' : kind;
      if (now.busy) {
        if (now.next !== 'reload') now.next = what;
        return;
      }
      now.busy = true;
      const read =
        what === 'reload'
          ? api.timeline({ examId, candidateId }).then((page) => {
              now.oldest = page.entries[0]?.receivedAt ?? page.asOf;
              merge(page, true);
              setMore(page.more);
              return page;
            })
          : api
              .timeline(
                { examId, candidateId },
                { since: Math.max(0, now.asOf - TIMELINE_SINCE_MARGIN_MS) },
              )
              .then((page) => {
                merge(page, false);
                return page;
              });
      read
        .then((page) => (now.asOf = page.asOf), failure.current)
        .finally(() => {
          now.busy = false;
          const next = now.next;
          now.next = null;
          if (next) run(next);
        });
    },
    [examId, candidateId],
  );
  const reload = useCallback(() => run('reload'), [run]);
  const refresh = useCallback(() => run('refresh'), [run]);

  const earlier = useCallback(() => {
    api.timeline({ examId, candidateId }, { before: state.current.oldest }).then((page) => {
      state.current.oldest = page.entries[0]?.receivedAt ?? state.current.oldest;
      merge(page, false);
      setMore(page.more);
    }, failure.current);
  }, [examId, candidateId]);

  useEffect(reload, [reload]);
  const list = useMemo(() => (entries ? [...entries.values()].sort(byReceipt) : null), [entries]);
  return { entries: list, more, refresh, reload, earlier };
}
