import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { api, type ApiError, type ExamSummary } from '../api';
import { ErrorNote, handleFailure } from '../parts/ErrorNote';
import { hrefOf } from '../route';

/** The exams this staff member may open: all for an admin, the assigned ones otherwise. */
export function ExamList({ onSignedOut }: { onSignedOut: () => void }) {
  const { t } = useTranslation();
  const [exams, setExams] = useState<ExamSummary[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    api.exams().then(({ exams: list }) => setExams(list), handleFailure(onSignedOut, setError));
  }, [onSignedOut]);
  return (
    <section>
      <h1>{t('exams.title')}</h1>
      {error && <ErrorNote error={error} />}
      {exams === null && !error && <p>{t('app.loading')}</p>}
      {exams?.length === 0 && <p>{t('exams.none')}</p>}
      {exams && exams.length > 0 && (
        <table className="plain">
          <thead>
            <tr>
              <th scope="col">{t('exams.code')}</th>
              <th scope="col">{t('exams.name')}</th>
              <th scope="col">{t('exams.window')}</th>
            </tr>
          </thead>
          <tbody>
            {exams.map((exam) => (
              <tr key={exam.id}>
                <td>
                  <a href={hrefOf({ page: 'exam', examId: exam.id })}>{exam.code}</a>
                </td>
                <td>{exam.title}</td>
                <td>
                  {t('exams.windowValue', {
                    opens: new Date(exam.opensAt),
                    closes: new Date(exam.closesAt),
                    formatParams: {
                      opens: { dateStyle: 'medium', timeStyle: 'short' },
                      closes: { dateStyle: 'medium', timeStyle: 'short' },
                    },
                  })}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
