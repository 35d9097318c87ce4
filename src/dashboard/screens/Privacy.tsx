import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

import type { ExamRetentionView } from '../../common/staff-api';
import { api, type ApiError } from '../api';
import { dayOf, tomorrow, useDayFormat } from '../dates';
import { formText } from '../form';
import { ErrorNote, handleFailure } from '../parts/ErrorNote';
import { Handovers } from '../parts/Handovers';
import { LegalHolds } from '../parts/LegalHolds';
import { hrefOf } from '../route';

/**
 * What an administrator does for data protection (docs/privacy.md): when each exam's data
 * goes and whether its grades are final, legal holds, hand-overs not yet delivered.
 */
export function Privacy({ onSignedOut }: { onSignedOut: () => void }) {
  const { t } = useTranslation();
  const [exams, setExams] = useState<ExamRetentionView[]>([]);
  const [error, setError] = useState<ApiError | null>(null);
  const load = useCallback(() => {
    api.retention().then(({ exams: list }) => setExams(list), handleFailure(onSignedOut, setError));
  }, [onSignedOut]);
  useEffect(load, [load]);
  return (
    <section className="privacy">
      <p>
        <a href={hrefOf({ page: 'admin' })}>← {t('admin.title')}</a>
      </p>
      <h1>{t('privacy.title')}</h1>
      <p className="muted">{t('privacy.intro')}</p>
      {error && <ErrorNote error={error} />}
      <Retention exams={exams} onChanged={load} onSignedOut={onSignedOut} />
      <LegalHolds exams={exams} onSignedOut={onSignedOut} />
      <Handovers onSignedOut={onSignedOut} />
    </section>
  );
}

function Retention({
  exams,
  onChanged,
  onSignedOut,
}: {
  exams: ExamRetentionView[];
  onChanged: () => void;
  onSignedOut: () => void;
}) {
  const { t } = useTranslation();
  const day = useDayFormat();
  const [error, setError] = useState<ApiError | null>(null);
  const [confirming, setConfirming] = useState<ExamRetentionView | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const failed = handleFailure(onSignedOut, setError);
  const change = (exam: ExamRetentionView, body: Parameters<typeof api.updateExam>[1]) => {
    setError(null);
    setDone(null);
    api.updateExam({ examId: exam.id }, body).then(() => {
      setConfirming(null);
      setDone(exam.code);
      onChanged();
    }, failed);
  };
  const newDate = (exam: ExamRetentionView) => (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    change(exam, { retainUntil: dayOf(formText(event.currentTarget, 'date')) });
  };
  return (
    <section aria-labelledby="retention-title">
      <h2 id="retention-title">{t('privacy.retention')}</h2>
      <p className="muted">{t('privacy.retentionHint')}</p>
      <table className="plain">
        <thead>
          <tr>
            <th scope="col">{t('privacy.exam')}</th>
            <th scope="col">{t('privacy.closes')}</th>
            <th scope="col">{t('privacy.deletedAfter')}</th>
            <th scope="col">{t('privacy.grades')}</th>
          </tr>
        </thead>
        <tbody>
          {exams.map((exam) => (
            <tr key={exam.id} data-exam={exam.code}>
              <td>
                {exam.code} <span className="muted">{exam.title}</span>
              </td>
              <td>{day.format(exam.closesAt)}</td>
              <td>
                {day.format(exam.retainUntil)}{' '}
                <span className="muted">
                  {exam.ownDate ? t('privacy.ownDate') : t('privacy.schoolYear')}
                </span>
                <form className="inline" onSubmit={newDate(exam)}>
                  <input
                    type="date"
                    name="date"
                    required
                    min={tomorrow()}
                    aria-label={t('privacy.newDate', { code: exam.code })}
                  />
                  <button type="submit">{t('privacy.change')}</button>
                </form>
              </td>
              <td>
                {exam.gradesFinalAt === null ? (
                  <button
                    type="button"
                    onClick={() => {
                      setDone(null);
                      setConfirming(exam);
                    }}
                  >
                    {t('privacy.gradesFinal')}
                  </button>
                ) : exam.monitoringRemovedAt === null ? (
                  t('privacy.finalSince', { date: day.format(exam.gradesFinalAt) })
                ) : (
                  t('privacy.monitoringRemoved', {
                    date: day.format(exam.gradesFinalAt),
                    removed: day.format(exam.monitoringRemovedAt),
                  })
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {confirming && (
        <div className="confirm" role="group" aria-labelledby="grades-confirm">
          <p id="grades-confirm">{t('privacy.gradesConfirm', { code: confirming.code })}</p>
          <button type="button" onClick={() => change(confirming, { gradesFinal: true })}>
            {t('privacy.gradesYes', { code: confirming.code })}
          </button>{' '}
          <button type="button" onClick={() => setConfirming(null)}>
            {t('privacy.cancel')}
          </button>
        </div>
      )}
      {done && !error && <p role="status">{t('privacy.saved', { code: done })}</p>}
      {error && <ErrorNote error={error} />}
    </section>
  );
}
