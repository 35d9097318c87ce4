import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { batteryWarning } from '../../common/device';
import { CANDIDATE_STATES, type CandidateState, type StaffUser } from '../../common/staff-api';
import { useLiveRows, useNow } from '../live';
import { CandidateTable, type Selection } from '../parts/CandidateTable';
import { ErrorNote } from '../parts/ErrorNote';
import { ExamAdmin } from '../parts/ExamAdmin';
import { HandIns } from '../parts/HandIns';
import { LiveStatusNote } from '../parts/LiveStatusNote';
import { RaisedHands } from '../parts/RaisedHands';
import { RoomActions } from '../parts/RoomActions';
import { useExam } from '../parts/useExam';
import { hrefOf } from '../route';

/** Until the exam is loaded: the policy's default. */
const DEFAULT_HEARTBEAT_MS = 10_000;

type Filter = 'all' | 'flagged' | 'low-battery' | CandidateState;

/** One exam, live: who is where, who is flagged, who has gone quiet. */
export function ExamPage(props: { examId: string; user: StaffUser; onSignedOut: () => void }) {
  const { examId, user, onSignedOut } = props;
  const { t } = useTranslation();
  const [examVersion, setExamVersion] = useState(0);
  const { exam, error: examError } = useExam(examId, onSignedOut, examVersion);
  const { rows, loaded, error, status } = useLiveRows(examId);
  const now = useNow();
  const [search, setSearch] = useState('');
  const [filter, setFilter] = useState<Filter>('all');
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const selection: Selection = useMemo(
    () => ({
      selected,
      set: (ids, on) =>
        setSelected((before) => {
          const next = new Set(before);
          for (const id of ids) {
            if (on) next.add(id);
            else next.delete(id);
          }
          return next;
        }),
    }),
    [selected],
  );

  const shown = useMemo(() => {
    const needle = search.trim().toLowerCase();
    return [...rows.values()].filter((row) => {
      if (filter === 'flagged' && row.flags.high + row.flags.medium + row.flags.low === 0)
        return false;
      if (filter === 'low-battery' && batteryWarning(row.battery) === null) return false;
      if (!['all', 'flagged', 'low-battery'].includes(filter) && row.state !== filter) return false;
      return (
        needle === '' ||
        row.name.toLowerCase().includes(needle) ||
        row.candidateNumber.toLowerCase().includes(needle)
      );
    });
  }, [rows, search, filter]);

  if (examError) return <ErrorNote error={examError} />;
  return (
    <section className="exam-page">
      <p>
        <a href={hrefOf({ page: 'exams' })}>← {t('app.back')}</a>
      </p>
      <h1>{exam ? `${exam.code}: ${exam.title}` : t('app.loading')}</h1>
      <div className="exam-links">
        <LiveStatusNote status={status} />
        <a href={hrefOf({ page: 'report', examId })}>{t('table.report')}</a>
      </div>
      {error && <ErrorNote error={error} />}
      <h2 id="candidates-title">{t('table.title')}</h2>
      <div className="toolbar" role="search">
        <label>
          {t('table.search')}
          <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
        </label>
        <label>
          {t('table.stateFilter')}
          <select value={filter} onChange={(e) => setFilter(e.target.value as Filter)}>
            <option value="all">{t('table.allStates')}</option>
            <option value="flagged">{t('table.flaggedOnly')}</option>
            <option value="low-battery">{t('table.lowBatteryOnly')}</option>
            {CANDIDATE_STATES.map((state) => (
              <option key={state} value={state}>
                {t(`states.${state}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p className="count" aria-live="polite">
        {loaded ? t('table.count', { count: shown.length, total: rows.size }) : t('app.loading')}
      </p>
      <RaisedHands examId={examId} rows={rows} now={now} onSignedOut={onSignedOut} />
      <RoomActions
        examId={examId}
        selected={[...selected].filter((id) => rows.has(id))}
        rows={rows}
        admin={user.role === 'admin'}
        examCode={exam?.code ?? ''}
        onClear={() => setSelected(new Set())}
        onSignedOut={onSignedOut}
      />
      <CandidateTable
        examId={examId}
        rows={shown}
        now={now}
        heartbeatIntervalMs={exam?.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_MS}
        selection={selection}
      />
      <HandIns examId={examId} onSignedOut={onSignedOut} />
      {user.role === 'admin' && (
        <ExamAdmin
          examId={examId}
          exam={exam}
          onExamChanged={() => setExamVersion((version) => version + 1)}
          onSignedOut={onSignedOut}
        />
      )}
    </section>
  );
}
