import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

import { api, type ApiError } from '../api';
import { hrefOf } from '../route';

import { handleFailure } from './ErrorNote';
import { HoldFields, holdFieldsOf } from './LegalHolds';
import { Problems } from './Problems';

/** An admin keeps this candidate's data past its date for a case (a legal hold). */
export function CandidateHold({
  examId,
  candidateId,
  onSignedOut,
}: {
  examId: string;
  candidateId: string;
  onSignedOut: () => void;
}) {
  const { t } = useTranslation();
  const [error, setError] = useState<ApiError | null>(null);
  const [opened, setOpened] = useState(false);
  const open = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    setError(null);
    setOpened(false);
    api
      .openLegalHold({
        examId,
        candidateId,
        ...holdFieldsOf(form),
      })
      .then(
        () => {
          form.reset();
          setOpened(true);
        },
        handleFailure(onSignedOut, setError),
      );
  };
  return (
    <details className="candidate-hold">
      <summary>{t('privacy.holdCandidate')}</summary>
      <p className="muted">{t('privacy.holdsHint')}</p>
      <form className="stacked" onSubmit={open}>
        <HoldFields />
        {error && <Problems error={error} />}
        {opened && !error && (
          <p role="status">
            {t('privacy.holdOpened')} <a href={hrefOf({ page: 'privacy' })}>{t('privacy.title')}</a>
          </p>
        )}
        <button type="submit">{t('privacy.openHold')}</button>
      </form>
    </details>
  );
}
