import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

import type { ExamSummary } from '../../common/staff-routes';
import { api, type ApiError } from '../api';
import { formText } from '../form';

import { handleFailure } from './ErrorNote';
import { Problems } from './Problems';

/** A moment as the value of a datetime-local input, in this browser's time zone. */
function localInput(ms: number): string {
  const date = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/**
 * An exam's title, window and duration, fixed on the day by an admin. The title can change at
 * any time; the window and the duration only until a candidate signs in (the server says so
 * otherwise: time for a room that started late is given with Add time).
 */
export function ExamDetails(props: {
  exam: ExamSummary;
  /** The last save went through ("Saved." outlives the form, which is made anew with it). */
  saved: boolean;
  onSaving: () => void;
  onChanged: () => void;
  onSignedOut: () => void;
}) {
  const { t } = useTranslation();
  const { exam } = props;
  const [error, setError] = useState<ApiError | null>(null);

  const save = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const opensAt = new Date(formText(form, 'opensAt')).getTime();
    const closesAt = new Date(formText(form, 'closesAt')).getTime();
    // The inputs hold minutes: an exam set to the second changes only if a field was edited.
    const minute = (ms: number) => Math.floor(ms / 60_000);
    const windowChanged =
      minute(opensAt) !== minute(exam.opensAt) || minute(closesAt) !== minute(exam.closesAt);
    const durationMinutes = Number(formText(form, 'durationMinutes'));
    setError(null);
    props.onSaving();
    api
      .updateExam(
        { examId: exam.id },
        {
          title: formText(form, 'title'),
          ...(windowChanged
            ? {
                window: {
                  opensAt: new Date(opensAt).toISOString(),
                  closesAt: new Date(closesAt).toISOString(),
                },
              }
            : {}),
          ...(durationMinutes !== exam.durationMinutes ? { durationMinutes } : {}),
        },
      )
      .then(() => props.onChanged(), handleFailure(props.onSignedOut, setError));
  };

  return (
    <form className="stacked exam-details" onSubmit={save}>
      <h3>{t('examDetails.title')}</h3>
      <label>
        {t('examDetails.name')}
        <input name="title" defaultValue={exam.title} required maxLength={200} />
      </label>
      <label>
        {t('examDetails.opensAt')}
        <input
          name="opensAt"
          type="datetime-local"
          defaultValue={localInput(exam.opensAt)}
          required
        />
      </label>
      <label>
        {t('examDetails.closesAt')}
        <input
          name="closesAt"
          type="datetime-local"
          defaultValue={localInput(exam.closesAt)}
          required
        />
      </label>
      <label>
        {t('examDetails.duration')}
        <input
          name="durationMinutes"
          type="number"
          min={1}
          max={24 * 60}
          step={1}
          defaultValue={exam.durationMinutes}
          required
        />
      </label>
      <p className="muted">{t('examDetails.hint')}</p>
      <button type="submit">{t('examDetails.save')}</button>
      {error && <Problems error={error} />}
      {props.saved && !error && <p role="status">{t('examDetails.saved')}</p>}
    </form>
  );
}
