import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { ImportReport, StaffUser } from '../../common/staff-api';
import { api, type ApiError, type ExamSummary } from '../api';

import { handleFailure } from './ErrorNote';
import { ExamDetails } from './ExamDetails';
import { Problems } from './Problems';

/** An administrator's part of an exam page: title, window and duration, candidates, invigilators. */
export function ExamAdmin({
  examId,
  exam,
  onExamChanged,
  onSignedOut,
}: {
  examId: string;
  exam: ExamSummary | null;
  onExamChanged: () => void;
  onSignedOut: () => void;
}) {
  const { t } = useTranslation();
  const [report, setReport] = useState<ImportReport | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [staff, setStaff] = useState<StaffUser[]>([]);
  const [assigned, setAssigned] = useState<ReadonlySet<string>>(new Set());
  // Kept here: the details form is made anew with the saved values, and must still say so.
  const [detailsSaved, setDetailsSaved] = useState(false);
  const failed = handleFailure(onSignedOut, setError);

  const load = useCallback(() => {
    const fail = handleFailure(onSignedOut, setError);
    api.users().then(({ users }) => setStaff(users.filter((u) => u.role === 'invigilator')), fail);
    api.invigilators({ examId }).then(({ userIds }) => setAssigned(new Set(userIds)), fail);
  }, [examId, onSignedOut]);
  useEffect(load, [load]);

  const importFile = async (file: File) => {
    setError(null);
    setReport(null);
    api.importCandidates({ examId }, await file.arrayBuffer()).then(setReport, failed);
  };
  // Shown at once; the server's list is read back either way, so a refusal undoes it.
  const toggle = (userId: string, on: boolean) => {
    setAssigned((previous) => {
      const next = new Set(previous);
      if (on) next.add(userId);
      else next.delete(userId);
      return next;
    });
    api.setAssigned({ examId, userId }, on).then(load, (error: ApiError) => {
      failed(error);
      load();
    });
  };

  return (
    <details className="exam-admin">
      <summary>{t('admin.examAdmin')}</summary>
      {exam && (
        <ExamDetails
          key={`${exam.title}-${exam.opensAt}-${exam.closesAt}-${exam.durationMinutes}`}
          exam={exam}
          saved={detailsSaved}
          onSaving={() => setDetailsSaved(false)}
          onChanged={() => {
            setDetailsSaved(true);
            onExamChanged();
          }}
          onSignedOut={onSignedOut}
        />
      )}
      <h3>{t('admin.importTitle')}</h3>
      <p className="muted">{t('admin.importHint')}</p>
      <label>
        {t('admin.csvFile')}
        <input
          type="file"
          accept="text/csv,.csv"
          onChange={(event) => {
            const file = event.target.files?.[0];
            if (file) void importFile(file);
          }}
        />
      </label>
      {report && (
        <div role="status">
          <p>{t('admin.imported', { count: report.imported })}</p>
          {report.errors.length > 0 && (
            <>
              <p>{t('admin.rowsRefused', { count: report.errors.length })}</p>
              <ul className="row-errors">
                {report.errors.map((row) => (
                  <li key={row.line}>
                    {t('admin.rowError', {
                      line: row.line,
                      message: t(`admin.rowProblems.${row.code}`, row.params),
                    })}
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
      {error && <Problems error={error} />}
      <h3>{t('admin.invigilators')}</h3>
      {staff.length === 0 ? (
        <p>{t('admin.noInvigilators')}</p>
      ) : (
        <ul className="assignments">
          {staff.map((user) => (
            <li key={user.id}>
              <label className="check">
                <input
                  type="checkbox"
                  checked={assigned.has(user.id)}
                  onChange={(event) => toggle(user.id, event.target.checked)}
                />
                {user.name} ({user.email})
              </label>
            </li>
          ))}
        </ul>
      )}
    </details>
  );
}
