import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

import type { CandidateRow, SignInSlip } from '../../common/staff-api';
import { api, type ApiError } from '../api';
import { formText } from '../form';
import { hrefOf } from '../route';

import { handleFailure } from './ErrorNote';
import { Problems } from './Problems';
import { Slips } from './Slips';

/**
 * What an admin fixes about one candidate on the day: the name and extra time, a new personal
 * code with a slip to print (a forgotten code), or removing a row added by mistake.
 */
export function CandidateAdmin(props: {
  examId: string;
  examCode: string;
  row: CandidateRow;
  onChanged: () => void;
  onSignedOut: () => void;
}) {
  const { t } = useTranslation();
  const { examId, row } = props;
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState(false);
  const [slips, setSlips] = useState<SignInSlip[] | null>(null);
  const [removing, setRemoving] = useState(false);
  const failed = handleFailure(props.onSignedOut, setError);

  const save = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    setError(null);
    api
      .updateCandidate(
        { examId, candidateId: row.id },
        {
          name: formText(form, 'name'),
          extraMinutes: Number(formText(form, 'extraMinutes')),
        },
      )
      .then(() => {
        setSaved(true);
        props.onChanged();
      }, failed);
  };
  const newCode = () => {
    setError(null);
    api
      .issueCodes({ examId }, { candidates: [row.id] })
      .then(({ slips }) => setSlips(slips), failed);
  };
  const remove = () => {
    api.removeCandidate({ examId, candidateId: row.id }).then(() => {
      window.location.hash = hrefOf({ page: 'exam', examId });
    }, failed);
  };

  return (
    <details className="candidate-admin">
      <summary>{t('roster.title')}</summary>
      <form className="stacked" onSubmit={save}>
        <label>
          {t('roster.name')}
          <input name="name" defaultValue={row.name} required maxLength={200} />
        </label>
        <label>
          {t('roster.extraMinutes')}
          <input
            name="extraMinutes"
            type="number"
            min={0}
            max={1440}
            defaultValue={row.extraMinutes}
            required
          />
        </label>
        <button type="submit">{t('roster.save')}</button>
        {saved && !error && <p role="status">{t('roster.saved')}</p>}
      </form>
      <p>
        <button type="button" onClick={newCode}>
          {t('roster.newCode')}
        </button>
      </p>
      {row.state === 'not-started' &&
        (removing ? (
          <p role="alert">
            {t('roster.confirmRemove', { number: row.candidateNumber })}{' '}
            <button type="button" onClick={remove}>
              {t('roster.remove')}
            </button>{' '}
            <button type="button" onClick={() => setRemoving(false)}>
              {t('room.cancel')}
            </button>
          </p>
        ) : (
          <p>
            <button type="button" onClick={() => setRemoving(true)}>
              {t('roster.remove')}
            </button>
          </p>
        ))}
      {error && <Problems error={error} />}
      {slips && <Slips examCode={props.examCode} slips={slips} onClose={() => setSlips(null)} />}
    </details>
  );
}
