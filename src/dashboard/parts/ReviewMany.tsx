import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

import { api, type ApiError, type ReviewDecision } from '../api';
import { formText } from '../form';

import { ErrorNote, handleFailure } from './ErrorNote';

/** A flag picked for a review together with others: its journal and place in it. */
export interface FlagRef {
  journalId: string;
  seq: number;
}

/** One decision and one comment for every flag ticked on the timeline. */
export function ReviewMany(props: {
  examId: string;
  candidateId: string;
  flags: readonly FlagRef[];
  onReviewed: () => void;
  onSignedOut: () => void;
}) {
  const { t } = useTranslation();
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  if (props.flags.length === 0) return null;
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    setBusy(true);
    setError(null);
    api
      .reviewMany(
        { examId: props.examId, candidateId: props.candidateId },
        {
          flags: [...props.flags],
          decision: formText(form, 'decision') as ReviewDecision,
          comment: formText(form, 'comment'),
        },
      )
      .then(
        () => {
          form.reset();
          props.onReviewed();
        },
        handleFailure(props.onSignedOut, setError),
      )
      .finally(() => setBusy(false));
  };
  return (
    <form className="review-many" onSubmit={submit} aria-labelledby="review-many-title">
      <h3 id="review-many-title">{t('candidate.reviewMany', { count: props.flags.length })}</h3>
      <label>
        {t('candidate.decision')}
        <select name="decision" defaultValue="dismiss">
          {(['dismiss', 'confirm', 'note'] as const).map((decision) => (
            <option key={decision} value={decision}>
              {t(`candidate.decisions.${decision}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('candidate.comment')}
        <textarea name="comment" required maxLength={2000} rows={2} />
      </label>
      {error && <ErrorNote error={error} />}
      <button type="submit" disabled={busy}>
        {t('candidate.save')}
      </button>
    </form>
  );
}
