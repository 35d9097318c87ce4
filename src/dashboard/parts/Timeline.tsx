import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

import { dateLocale } from '../../common/languages';
import type { TimelineEntry } from '../../common/staff-api';
import { api, type ApiError, type ReviewDecision } from '../api';
import { describeEvent } from '../describe';
import { formText } from '../form';
import { entryKey } from '../timeline';

import { ErrorNote, handleFailure } from './ErrorNote';
import { DATE_TIME, ReviewLine } from './ReviewLine';
import { ReviewMany } from './ReviewMany';
import { SeverityBadge } from './Severity';

/**
 * Every event of a candidate in the order the server received them, flags reviewable; older
 * pages on request.
 */
export function Timeline(props: {
  examId: string;
  candidateId: string;
  entries: TimelineEntry[];
  /** Older entries exist: offer them. */
  more: boolean;
  onEarlier: () => void;
  onReviewed: () => void;
  onSignedOut: () => void;
}) {
  const { t, i18n } = useTranslation();
  const [showInfo, setShowInfo] = useState(true);
  /** Flags ticked for one review together, by `journalId#seq`. */
  const [ticked, setTicked] = useState<ReadonlySet<string>>(new Set());
  const shown = props.entries.filter((entry) => showInfo || entry.severity !== 'info');
  const open = (entry: TimelineEntry) =>
    entry.severity !== 'info' &&
    entry.reviews.length === 0 &&
    entry.journalId !== null &&
    entry.seq !== null;
  const refOf = (entry: TimelineEntry) => `${entry.journalId}#${entry.seq}`;
  const flags = props.entries
    .filter((entry) => open(entry) && ticked.has(refOf(entry)))
    .map((entry) => ({ journalId: entry.journalId!, seq: entry.seq! }));
  const tick = (ref: string, on: boolean) =>
    setTicked((before) => {
      const next = new Set(before);
      if (on) next.add(ref);
      else next.delete(ref);
      return next;
    });
  return (
    <>
      <label className="check">
        <input type="checkbox" checked={showInfo} onChange={(e) => setShowInfo(e.target.checked)} />
        {t('candidate.showInfo')}
      </label>
      <ReviewMany
        examId={props.examId}
        candidateId={props.candidateId}
        flags={flags}
        onReviewed={() => {
          setTicked(new Set());
          props.onReviewed();
        }}
        onSignedOut={props.onSignedOut}
      />
      {props.more && (
        <p>
          <button type="button" onClick={props.onEarlier}>
            {t('candidate.earlier')}
          </button>
        </p>
      )}
      {shown.length === 0 ? (
        <p>{t('candidate.noEvents')}</p>
      ) : (
        <table className="plain timeline">
          <thead>
            <tr>
              <th scope="col">{t('candidate.time')}</th>
              <th scope="col">{t('candidate.event')}</th>
              <th scope="col">{t('candidate.severity')}</th>
              <th scope="col">{t('candidate.review')}</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((entry) => (
              <tr
                key={entryKey(entry)}
                className={entry.reviews.length > 0 ? 'reviewed' : `row-${entry.severity}`}
              >
                <td>
                  {new Intl.DateTimeFormat(dateLocale(i18n.language), DATE_TIME).format(
                    entry.receivedAt,
                  )}
                  {entry.clientAt !== null && (
                    <div className={entry.clockSuspect ? 'clock suspect' : 'clock'}>
                      {t('candidate.clientClock', {
                        value: new Date(entry.clientAt),
                        formatParams: { value: DATE_TIME },
                      })}
                      {entry.clockSuspect && <> — {t('candidate.clockSuspect')}</>}
                    </div>
                  )}
                </td>
                <td>
                  {describeEvent(t, entry)}
                  {entry.source === 'server' && (
                    <div className="muted">{t('candidate.serverFlag')}</div>
                  )}
                  {entry.repeats > 1 && entry.lastAt !== null && (
                    <div className="repeats">
                      {t('candidate.repeats', {
                        count: entry.repeats,
                        last: new Date(entry.lastAt),
                        formatParams: { last: DATE_TIME },
                      })}
                    </div>
                  )}
                  {entry.beforeStart && entry.severity !== 'info' && (
                    <div className="muted">{t('candidate.beforeStart')}</div>
                  )}
                </td>
                <td>
                  <SeverityBadge severity={entry.severity} />
                </td>
                <td>
                  {entry.reviews.map((review) => (
                    <ReviewLine key={review.at} review={review} />
                  ))}
                  {open(entry) && (
                    <label className="check">
                      <input
                        type="checkbox"
                        checked={ticked.has(refOf(entry))}
                        onChange={(event) => tick(refOf(entry), event.target.checked)}
                      />
                      {t('candidate.tick')}
                    </label>
                  )}
                  {entry.severity !== 'info' && entry.journalId !== null && entry.seq !== null && (
                    <ReviewForm
                      {...props}
                      journalId={entry.journalId}
                      seq={entry.seq}
                      label={describeEvent(t, entry)}
                    />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

function ReviewForm(props: {
  examId: string;
  candidateId: string;
  journalId: string;
  seq: number;
  label: string;
  onReviewed: () => void;
  onSignedOut: () => void;
}) {
  const { t } = useTranslation();
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const element = event.currentTarget;
    setBusy(true);
    api
      .review(
        { examId: props.examId, candidateId: props.candidateId },
        {
          journalId: props.journalId,
          seq: props.seq,
          decision: formText(element, 'decision') as ReviewDecision,
          comment: formText(element, 'comment'),
        },
      )
      .then(
        () => {
          element.reset();
          element.closest('details')?.removeAttribute('open');
          props.onReviewed();
        },
        handleFailure(props.onSignedOut, setError),
      )
      .finally(() => setBusy(false));
  };
  const id = `${props.journalId}-${props.seq}`;
  return (
    <details className="review-form">
      <summary>
        {t('candidate.decide')}
        <span className="visually-hidden">: {props.label}</span>
      </summary>
      <form onSubmit={submit}>
        <label htmlFor={`decision-${id}`}>{t('candidate.decision')}</label>
        <select id={`decision-${id}`} name="decision" defaultValue="dismiss">
          {(['dismiss', 'confirm', 'note'] as const).map((decision) => (
            <option key={decision} value={decision}>
              {t(`candidate.decisions.${decision}`)}
            </option>
          ))}
        </select>
        <label htmlFor={`comment-${id}`}>{t('candidate.comment')}</label>
        <textarea id={`comment-${id}`} name="comment" required maxLength={2000} rows={2} />
        {error && <ErrorNote error={error} />}
        <button type="submit" disabled={busy}>
          {t('candidate.save')}
        </button>
      </form>
    </details>
  );
}
