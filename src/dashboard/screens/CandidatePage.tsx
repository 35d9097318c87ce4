import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { CandidateDetail } from '../../common/staff-api';
import { api, subjectAccessUrl, type ApiError } from '../api';
import { describeBlockers } from '../describe';
import { useLiveEvents } from '../live';
import { Actions } from '../parts/Actions';
import { CandidateAdmin } from '../parts/CandidateAdmin';
import { CandidateHold } from '../parts/CandidateHold';
import { clientOf } from '../parts/CandidateTable';
import { ErrorNote, handleFailure } from '../parts/ErrorNote';
import { LiveStatusNote } from '../parts/LiveStatusNote';
import { DATE_TIME } from '../parts/ReviewLine';
import { Timeline } from '../parts/Timeline';
import { useExam } from '../parts/useExam';
import { hrefOf } from '../route';
import { useTimeline } from '../timeline';

/** One candidate: where they are, every event, the flags to review, and what to do. */
export function CandidatePage(props: {
  examId: string;
  candidateId: string;
  /** Admins may download the candidate's subject access export. */
  admin: boolean;
  onSignedOut: () => void;
}) {
  const { t } = useTranslation();
  const { examId, candidateId, onSignedOut } = props;
  const [detail, setDetail] = useState<CandidateDetail | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const { exam } = useExam(examId, onSignedOut);
  const failed = handleFailure(onSignedOut, setError);
  const timeline = useTimeline({ examId, candidateId }, failed);

  const load = useCallback(() => {
    api.candidate({ examId, candidateId }).then(setDetail, handleFailure(onSignedOut, setError));
  }, [examId, candidateId, onSignedOut]);
  useEffect(load, [load]);
  // The server gathers changes before it names them: each event is one read of what changed.
  const status = useLiveEvents(
    examId,
    (event) => {
      if (event.type === 'resync') {
        load();
        timeline.reload();
      } else if (event.candidateIds.includes(candidateId)) {
        load();
        timeline.refresh();
      }
    },
    () => {
      load();
      timeline.reload();
    },
  );

  if (error && !detail) return <ErrorNote error={error} />;
  const row = detail?.candidate;
  return (
    <section className="candidate-page">
      <p>
        <a href={hrefOf({ page: 'exam', examId })}>← {t('table.title')}</a>
      </p>
      <h1>
        {row
          ? t('candidate.title', { number: row.candidateNumber, name: row.name })
          : t('app.loading')}
      </h1>
      <LiveStatusNote status={status} />
      <p className="notice">{t('candidate.evidenceNotice')}</p>
      {props.admin && (
        <p>
          <a href={subjectAccessUrl(examId, candidateId)} download>
            {t('candidate.subjectAccess')}
          </a>
        </p>
      )}
      {props.admin && (
        <CandidateHold examId={examId} candidateId={candidateId} onSignedOut={onSignedOut} />
      )}
      {props.admin && row && (
        <CandidateAdmin
          examId={examId}
          examCode={exam?.code ?? ''}
          row={row}
          onChanged={load}
          onSignedOut={onSignedOut}
        />
      )}
      {error && <ErrorNote error={error} />}
      {row && (
        <>
          <h2>{t('candidate.summary')}</h2>
          <dl className="summary">
            <dt>{t('table.columns.state')}</dt>
            <dd>
              {t(`states.${row.state}`)}
              {row.blockers.length > 0 &&
                ` — ${t('blockers.waiting', { list: describeBlockers(t, row.blockers) })}`}
            </dd>
            <dt>{t('table.columns.answered')}</dt>
            <dd>{t('table.answeredValue', { answered: row.answered, total: row.questions })}</dd>
            <dt>{t('table.columns.waiting')}</dt>
            <dd>{row.waiting}</dd>
            <dt>{t('table.columns.flags')}</dt>
            <dd>
              {t('table.flagsValue', row.flags)}
              {row.reviewed > 0 && ` · ${t('table.reviewedValue', { count: row.reviewed })}`}
            </dd>
            <dt>{t('candidate.submission')}</dt>
            <dd>
              <Submission detail={detail} />
            </dd>
            <dt>{t('table.columns.client')}</dt>
            <dd>{clientOf(t, row) || '—'}</dd>
          </dl>
        </>
      )}
      {detail && (
        <Actions examId={examId} detail={detail} onSent={load} onSignedOut={onSignedOut} />
      )}
      <h2>{t('candidate.timeline')}</h2>
      {timeline.entries && (
        <Timeline
          examId={examId}
          candidateId={candidateId}
          entries={timeline.entries}
          more={timeline.more}
          onEarlier={timeline.earlier}
          onReviewed={() => {
            load();
            timeline.refresh();
          }}
          onSignedOut={onSignedOut}
        />
      )}
    </section>
  );
}

/** When the answers were handed in, the receipt's hash, and whether the server's copy agrees. */
function Submission({ detail }: { detail: CandidateDetail }) {
  const { t } = useTranslation();
  const { submission } = detail;
  if (!submission) return <>{t('candidate.notSubmitted')}</>;
  return (
    <>
      {t('candidate.submittedAt', {
        at: new Date(submission.receivedAt),
        formatParams: { at: DATE_TIME },
      })}{' '}
      <code className="hash">{submission.answersHash.slice(0, 16)}</code>
      {!submission.matches && (
        <span className="severity-high"> — {t('candidate.submissionMismatch')}</span>
      )}
    </>
  );
}
