import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { dateLocale } from '../../common/languages';
import type { Incident, StaffUser } from '../../common/staff-api';
import { api, reportCsvUrl, type ApiError } from '../api';
import { describeEvent } from '../describe';
import { ErrorNote, handleFailure } from '../parts/ErrorNote';
import { DATE_TIME, ReviewLine } from '../parts/ReviewLine';
import { SeverityBadge } from '../parts/Severity';
import { useExam } from '../parts/useExam';
import { REPORT_TIME_ZONE, separatorFor, spreadsheetCsv, type Separator } from '../report-csv';
import { hrefOf } from '../route';

/** The exam's incident report: every flag and its review, laid out to print. */
export function Report(props: { examId: string; user: StaffUser; onSignedOut: () => void }) {
  const { t, i18n } = useTranslation();
  const { examId, onSignedOut } = props;
  const { exam, error: examError } = useExam(examId, onSignedOut);
  const [incidents, setIncidents] = useState<Incident[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    api
      .incidents({ examId })
      .then(({ incidents: list }) => setIncidents(list), handleFailure(onSignedOut, setError));
  }, [examId, onSignedOut]);
  const format = new Intl.DateTimeFormat(dateLocale(i18n.language), DATE_TIME);
  // The language's separator until the staff member picks one.
  const [chosen, setSeparator] = useState<Separator | null>(null);
  const separator = chosen ?? separatorFor(i18n.language);

  /**
   * The spreadsheet file, made here in the staff member's language from the incidents fetched
   * again through the export route (audited as reports.export), saved by the browser.
   */
  async function downloadSpreadsheet(code: string) {
    let list: Incident[];
    try {
      list = (await api.exportIncidents({ examId })).incidents;
    } catch (failure) {
      handleFailure(onSignedOut, setError)(failure as ApiError);
      return;
    }
    const csv = spreadsheetCsv(t, i18n.language, list, {
      separator,
      timeZone: REPORT_TIME_ZONE,
    });
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
    link.download = `vakt-${code}-${t('report.fileName')}.csv`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
  }

  if (examError) return <ErrorNote error={examError} />;
  return (
    <section className="report">
      <p className="no-print">
        <a href={hrefOf({ page: 'exam', examId })}>← {t('table.title')}</a>{' '}
        <button type="button" onClick={() => print()}>
          {t('report.print')}
        </button>{' '}
        <button
          type="button"
          disabled={!exam}
          onClick={() => exam && void downloadSpreadsheet(exam.code)}
        >
          {t('report.spreadsheet')}
        </button>{' '}
        <label className="check">
          {t('report.separator')}{' '}
          <select
            value={separator}
            onChange={(event) => setSeparator(event.target.value as Separator)}
          >
            <option value=";">{t('report.semicolon')}</option>
            <option value=",">{t('report.comma')}</option>
          </select>
        </label>{' '}
        <a href={reportCsvUrl(examId)} download>
          {t('report.machine')}
        </a>
      </p>
      <h1>{t('report.title', { exam: exam ? `${exam.code} ${exam.title}` : '' })}</h1>
      <p className="muted">
        {t('report.printed', {
          at: new Date(),
          name: props.user.name,
          formatParams: { at: DATE_TIME },
        })}
      </p>
      <p className="notice">{t('candidate.evidenceNotice')}</p>
      {error && <ErrorNote error={error} />}
      {incidents?.length === 0 && <p>{t('report.none')}</p>}
      {incidents && incidents.length > 0 && (
        <table className="plain incidents">
          <caption>{t('report.flags')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('table.columns.candidateNumber')}</th>
              <th scope="col">{t('table.columns.name')}</th>
              <th scope="col">{t('candidate.time')}</th>
              <th scope="col">{t('candidate.event')}</th>
              <th scope="col">{t('candidate.severity')}</th>
              <th scope="col">{t('candidate.review')}</th>
            </tr>
          </thead>
          <tbody>
            {incidents.map((incident) => (
              <tr key={`${incident.source}-${incident.journalId}-${incident.seq}-${incident.kind}`}>
                <td>{incident.candidateNumber}</td>
                <td>{incident.name}</td>
                <td>{format.format(incident.receivedAt)}</td>
                <td>{describeEvent(t, incident)}</td>
                <td>
                  <SeverityBadge severity={incident.severity} />
                </td>
                <td>{incident.review ? <ReviewLine review={incident.review} /> : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
