import {
  createColumnHelper,
  flexRender,
  getCoreRowModel,
  getSortedRowModel,
  useReactTable,
  type SortingFn,
  type SortingState,
} from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { TFunction } from 'i18next';
import { useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { batteryWarning } from '../../common/device';
import { dateLocale } from '../../common/languages';
import { liveness, type Liveness } from '../../common/liveness';
import type { CandidateRow } from '../../common/staff-api';
import { describeBlockers } from '../describe';
import { hrefOf } from '../route';

interface TableMeta {
  now: number;
  heartbeatIntervalMs: number;
  selection: Selection;
}

/** Which candidates are selected for a room action, and how to change that. */
export interface Selection {
  selected: ReadonlySet<string>;
  /** Selects (or unselects) these candidates, leaving the rest as they are. */
  set: (ids: readonly string[], on: boolean) => void;
}

const ROW_PX = 44;
/** States whose clock has stopped for good: no time left to show. */
const FINISHED = new Set(['submitting', 'submitted', 'submission-mismatch']);

/** Time left as h:mm (rounded up to the minute), 0:00 once it is out. */
function left(ms: number): string {
  const minutes = Math.max(0, Math.ceil(ms / 60_000));
  return `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}`;
}

const timeFormats = new Map<string, Intl.DateTimeFormat>();
/** "14:30" in the dashboard's language. */
function timeOfDay(language: string): Intl.DateTimeFormat {
  let format = timeFormats.get(language);
  if (!format) {
    format = new Intl.DateTimeFormat(dateLocale(language), { timeStyle: 'short' });
    timeFormats.set(language, format);
  }
  return format;
}
const STALE: Record<Liveness, string> = { live: '', late: 'stale-warn', offline: 'stale-alert' };
const column = createColumnHelper<CandidateRow>();
/** States in which a candidate's laptop should be sending heartbeats. */
const BEATING = new Set(['preflight', 'in-progress', 'locked', 'paused', 'submitting']);

/** Candidate numbers in their natural order (999 before 1000), without a locale's cost. */
const byNumber: SortingFn<CandidateRow> = (a, b, id) => {
  const [x, y] = [a.getValue<string>(id), b.getValue<string>(id)];
  return x.length - y.length || (x < y ? -1 : x > y ? 1 : 0);
};

/** "1.4.0 · Windows": the client version and the laptop's system, as far as known. */
export function clientOf(t: TFunction, row: CandidateRow): string {
  const platform = row.platform ? t(`platforms.${row.platform}`) : null;
  return [row.clientVersion, platform].filter((part) => part !== null).join(' · ');
}

function flagWeight(row: CandidateRow): number {
  return row.flags.high * 1_000_000 + row.flags.medium * 1_000 + row.flags.low;
}

/**
 * The live candidate table: sortable (TanStack Table) and virtualised (TanStack Virtual), so
 * only the rows in view are in the DOM whatever the size of the exam. Rows stay a real table
 * for screen readers, with aria-rowcount/aria-rowindex saying where the visible ones are.
 */
export function CandidateTable(props: {
  examId: string;
  rows: CandidateRow[];
  now: number;
  /** The exam's heartbeat: late and offline are counted in it (liveness.ts). */
  heartbeatIntervalMs: number;
  selection: Selection;
}) {
  const { t, i18n } = useTranslation();
  const { examId, rows, now, heartbeatIntervalMs, selection } = props;
  /** The candidate clicked last, for shift-click ranges (by id: live updates re-sort rows). */
  const anchor = useRef<string | null>(null);
  const [sorting, setSorting] = useState<SortingState>([{ id: 'flags', desc: true }]);

  const columns = useMemo(
    () => [
      column.display({
        id: 'select',
        header: (info) => {
          const { selection } = info.table.options.meta as TableMeta;
          const shown = info.table.getRowModel().rows.map((row) => row.id);
          const all = shown.length > 0 && shown.every((id) => selection.selected.has(id));
          return (
            <input
              type="checkbox"
              aria-label={t('room.selectShown')}
              checked={all}
              onChange={() => selection.set(shown, !all)}
            />
          );
        },
        cell: (info) => {
          const { selection } = info.table.options.meta as TableMeta;
          const row = info.row.original;
          return (
            <input
              type="checkbox"
              aria-label={t('room.selectOne', { number: row.candidateNumber, name: row.name })}
              checked={selection.selected.has(row.id)}
              onChange={() => undefined}
              onClick={(event) => {
                const rows = info.table.getRowModel().rows;
                const index = rows.findIndex((candidate) => candidate.id === row.id);
                const on = !selection.selected.has(row.id);
                // Shift-click: everything from the row clicked last to this one, as this one goes.
                const at = rows.findIndex((candidate) => candidate.id === anchor.current);
                const from = event.shiftKey && at >= 0 ? at : index;
                const [low, high] = from < index ? [from, index] : [index, from];
                selection.set(
                  rows.slice(low, high + 1).map((candidate) => candidate.id),
                  on,
                );
                anchor.current = row.id;
              }}
            />
          );
        },
      }),
      column.accessor('candidateNumber', {
        header: () => t('table.columns.candidateNumber'),
        sortingFn: byNumber,
        cell: (info) => (
          <a href={hrefOf({ page: 'candidate', examId, candidateId: info.row.original.id })}>
            {info.getValue()}
          </a>
        ),
      }),
      column.accessor('name', { header: () => t('table.columns.name'), sortingFn: 'text' }),
      column.accessor('state', {
        header: () => t('table.columns.state'),
        sortingFn: 'text',
        cell: (info) => (
          <>
            <span className={`state state-${info.getValue()}`}>
              {t(`states.${info.getValue()}`)}
            </span>
            {info.row.original.blockers.length > 0 && <Blockers t={t} row={info.row.original} />}
          </>
        ),
      }),
      column.accessor((row) => row.handRaisedAt ?? Number.MAX_SAFE_INTEGER, {
        id: 'hand',
        header: () => t('table.columns.hand'),
        sortingFn: 'basic',
        cell: (info) =>
          info.row.original.handRaisedAt !== null && (
            <span className="hand-up">{t('table.handUp')}</span>
          ),
      }),
      column.accessor((row) => row.endsAt ?? Number.MAX_SAFE_INTEGER, {
        id: 'timeLeft',
        header: () => t('table.columns.timeLeft'),
        sortingFn: 'basic',
        cell: (info) => {
          const { now } = info.table.options.meta as TableMeta;
          const row = info.row.original;
          if (row.endsAt === null || FINISHED.has(row.state)) return '';
          if (row.state === 'paused') return t('table.pausedClock');
          return left(row.endsAt - now);
        },
      }),
      column.accessor((row) => row.endsAt ?? Number.MAX_SAFE_INTEGER, {
        id: 'ends',
        header: () => t('table.columns.ends'),
        sortingFn: 'basic',
        cell: (info) => {
          const { endsAt } = info.row.original;
          return endsAt === null ? '' : timeOfDay(i18n.language).format(endsAt);
        },
      }),
      column.accessor('extraMinutes', {
        header: () => t('table.columns.extra'),
        sortingFn: 'basic',
        cell: (info) =>
          info.getValue() > 0 ? t('table.extraValue', { minutes: info.getValue() }) : '',
      }),
      column.accessor((row) => row.lastSeenAt ?? 0, {
        id: 'lastSeen',
        header: () => t('table.columns.lastSeen'),
        sortingFn: 'basic',
        cell: (info) => {
          // The clock and heartbeat come through `meta`, so the columns stay the same object
          // from one second to the next and TanStack does not rebuild every row each tick.
          const { now, heartbeatIntervalMs } = info.table.options.meta as TableMeta;
          const row = info.row.original;
          const ms = row.lastSeenAt === null ? null : now - row.lastSeenAt;
          if (ms === null) return t('table.never');
          const seconds = Math.max(0, Math.round(ms / 1000));
          const beating = BEATING.has(row.state);
          const level = beating ? STALE[liveness(ms, heartbeatIntervalMs)] : '';
          return (
            <span className={level}>
              {seconds < 120
                ? t('table.secondsAgo', { count: seconds })
                : t('table.minutesAgo', { count: Math.floor(seconds / 60) })}
            </span>
          );
        },
      }),
      column.accessor((row) => (row.questions === 0 ? 0 : row.answered / row.questions), {
        id: 'answered',
        header: () => t('table.columns.answered'),
        sortingFn: 'basic',
        cell: (info) =>
          t('table.answeredValue', {
            answered: info.row.original.answered,
            total: info.row.original.questions,
          }),
      }),
      column.accessor('waiting', { header: () => t('table.columns.waiting'), sortingFn: 'basic' }),
      column.accessor(flagWeight, {
        id: 'flags',
        header: () => t('table.columns.flags'),
        sortingFn: 'basic',
        cell: (info) => <Flags row={info.row.original} />,
      }),
      column.accessor((row) => row.battery?.level ?? Number.MAX_SAFE_INTEGER, {
        id: 'power',
        header: () => t('table.columns.power'),
        sortingFn: 'basic',
        cell: (info) => <Power t={t} row={info.row.original} />,
      }),
      column.accessor((row) => `${row.clientVersion ?? ''} ${row.platform ?? ''}`, {
        id: 'client',
        header: () => t('table.columns.client'),
        sortingFn: 'text',
        cell: (info) => clientOf(t, info.row.original),
      }),
    ],
    [t, i18n.language, examId],
  );

  const table = useReactTable({
    data: rows,
    columns,
    state: { sorting },
    meta: { now, heartbeatIntervalMs, selection } satisfies TableMeta,
    onSortingChange: setSorting,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    getRowId: (row) => row.id,
  });
  const sorted = table.getRowModel().rows;
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: sorted.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_PX,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const before = items[0]?.start ?? 0;
  const after = virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0);

  return (
    <div className="table-scroll" ref={scroller} tabIndex={0} aria-labelledby="candidates-title">
      <table className="candidates" aria-rowcount={sorted.length + 1}>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id} aria-rowindex={1}>
              {group.headers.map((header) => {
                const sorted = header.column.getIsSorted();
                return (
                  <th
                    key={header.id}
                    scope="col"
                    aria-sort={
                      !header.column.getCanSort()
                        ? undefined
                        : sorted === 'asc'
                          ? 'ascending'
                          : sorted === 'desc'
                            ? 'descending'
                            : 'none'
                    }
                  >
                    {header.column.getCanSort() ? (
                      <button type="button" onClick={header.column.getToggleSortingHandler()}>
                        {flexRender(header.column.columnDef.header, header.getContext())}
                        <span aria-hidden="true">
                          {sorted === 'asc' ? ' ↑' : sorted === 'desc' ? ' ↓' : ''}
                        </span>
                      </button>
                    ) : (
                      flexRender(header.column.columnDef.header, header.getContext())
                    )}
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody>
          {before > 0 && (
            <tr aria-hidden="true" style={{ height: before }}>
              <td colSpan={columns.length} />
            </tr>
          )}
          {items.map((item) => {
            const row = sorted[item.index]!;
            return (
              <tr
                key={row.id}
                aria-rowindex={item.index + 2}
                data-candidate={row.original.candidateNumber}
                style={{ height: ROW_PX }}
              >
                {row.getVisibleCells().map((cell) => (
                  <td key={cell.id}>{flexRender(cell.column.columnDef.cell, cell.getContext())}</td>
                ))}
              </tr>
            );
          })}
          {after > 0 && (
            <tr aria-hidden="true" style={{ height: after }}>
              <td colSpan={columns.length} />
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}

function Flags({ row }: { row: CandidateRow }) {
  const { t } = useTranslation();
  const { high, medium, low } = row.flags;
  const loudest = high > 0 ? 'high' : medium > 0 ? 'medium' : low > 0 ? 'low' : null;
  return (
    <span className={loudest ? `flags severity-${loudest}` : 'flags'}>
      {loudest ? t('table.flagsValue', { high, medium, low }) : t('table.noFlags')}
      {row.beforeStart > 0 && (
        <span className="muted"> · {t('table.beforeStart', { count: row.beforeStart })}</span>
      )}
      {row.reviewed > 0 && (
        <span className="muted"> · {t('table.reviewedValue', { count: row.reviewed })}</span>
      )}
      {row.unreadMessages > 0 && (
        <span className="pending"> · {t('table.unread', { count: row.unreadMessages })}</span>
      )}
      {row.pendingInstructions > 0 && (
        <span className="pending"> · {t('table.pending', { count: row.pendingInstructions })}</span>
      )}
    </span>
  );
}

/** "Waiting on: close Discord; …" under a candidate's state; all of it on hover if cut short. */
function Blockers({ t, row }: { t: TFunction; row: CandidateRow }) {
  const words = t('blockers.waiting', { list: describeBlockers(t, row.blockers) });
  return (
    <span className="blockers" title={words}>
      {words}
    </span>
  );
}

/** "18 % · Wi-Fi", in the warning colour at 20 % or less when not charging. */
function Power({ t, row }: { t: TFunction; row: CandidateRow }) {
  const { battery, network } = row;
  const parts = [
    battery &&
      t(battery.charging ? 'table.batteryCharging' : 'table.batteryValue', {
        level: battery.level,
      }),
    network && t(`table.network.${network}`),
  ].filter(Boolean);
  return (
    <span className={batteryWarning(battery) === null ? undefined : 'battery-low'}>
      {parts.join(' · ')}
    </span>
  );
}
