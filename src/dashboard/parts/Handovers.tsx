import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

import { dateLocale } from '../../common/languages';
import type { RouteAnswer } from '../../common/staff-routes';
import { api, type ApiError, type ROUTES } from '../api';
import { formText } from '../form';
import { hrefOf } from '../route';

import { handleFailure } from './ErrorNote';
import { Problems } from './Problems';

type Pending = RouteAnswer<typeof ROUTES.pendingHandovers>['pending'][number];

/**
 * Submissions not yet handed over downstream: sent again once the receiver works, or abandoned
 * (with a reason) when it got them another way. Retention waits for the rest.
 */
export function Handovers({ onSignedOut }: { onSignedOut: () => void }) {
  const { t, i18n } = useTranslation();
  const [pending, setPending] = useState<Pending[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const failed = handleFailure(onSignedOut, setError);
  const load = useCallback(() => {
    api
      .handovers()
      .then(({ pending: list }) => setPending(list), handleFailure(onSignedOut, setError));
  }, [onSignedOut]);
  useEffect(load, [load]);
  const time = new Intl.DateTimeFormat(dateLocale(i18n.language), {
    dateStyle: 'medium',
    timeStyle: 'short',
  });
  const retry = (id: string) => {
    setError(null);
    api.retryHandover(id).then(load, failed);
  };
  const abandon = (id: string) => (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setError(null);
    api.abandonHandover(id, formText(event.currentTarget, 'reason')).then(load, failed);
  };
  return (
    <section aria-labelledby="handovers-title">
      <h2 id="handovers-title">{t('privacy.handovers')}</h2>
      <p className="muted">{t('privacy.handoversHint')}</p>
      {error && <Problems error={error} />}
      {pending?.length === 0 && <p>{t('privacy.allDelivered')}</p>}
      {pending && pending.length > 0 && (
        <table className="plain">
          <thead>
            <tr>
              <th scope="col">{t('privacy.handover')}</th>
              <th scope="col">{t('privacy.candidate')}</th>
              <th scope="col">{t('privacy.queued')}</th>
              <th scope="col">{t('privacy.state')}</th>
              <th scope="col">{t('privacy.lastError')}</th>
              <th scope="col">{t('privacy.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {pending.map((row) => (
              <tr key={row.id} data-handover={row.id}>
                <td>{row.id}</td>
                <td>
                  <a
                    href={hrefOf({
                      page: 'candidate',
                      examId: row.examId,
                      candidateId: row.candidateId,
                    })}
                  >
                    {t('privacy.candidateIn', { number: row.candidateNumber, code: row.examCode })}
                  </a>
                </td>
                <td>{time.format(row.createdAt)}</td>
                <td>
                  {row.deadAt === null
                    ? t('privacy.nextTry', { time: time.format(row.nextAt), count: row.attempts })
                    : t('privacy.givenUp', { time: time.format(row.deadAt), count: row.attempts })}
                </td>
                <td>{row.lastError ?? '—'}</td>
                <td>
                  <button type="button" onClick={() => retry(row.id)}>
                    {t('privacy.retry')}
                  </button>
                  <form className="inline" onSubmit={abandon(row.id)}>
                    <input
                      name="reason"
                      required
                      maxLength={500}
                      aria-label={t('privacy.abandonReason', { id: row.id })}
                      placeholder={t('privacy.abandonPlaceholder')}
                    />
                    <button type="submit">{t('privacy.abandon')}</button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
