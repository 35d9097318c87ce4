import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { RouteAnswer } from '../../common/staff-routes';
import { api, type ApiError, type ROUTES } from '../api';

import { handleFailure } from './ErrorNote';
import { Problems } from './Problems';
import { DATE_TIME } from './ReviewLine';

type Result = RouteAnswer<typeof ROUTES.handIn>;
type Held = RouteAnswer<typeof ROUTES.heldHandIns>['held'];

/**
 * A candidate who could not get online hands in a sealed file (from Vakt's "save a hand-in
 * file"); the invigilator uploads it here. Files that cannot prove whose they are are kept
 * aside, listed below, never lost.
 */
export function HandIns({ examId, onSignedOut }: { examId: string; onSignedOut: () => void }) {
  const { t } = useTranslation();
  const [result, setResult] = useState<Result | null>(null);
  const [held, setHeld] = useState<Held>([]);
  const [error, setError] = useState<ApiError | null>(null);
  const load = useCallback(() => {
    api
      .heldHandIns({ examId })
      .then(({ held: list }) => setHeld(list), handleFailure(onSignedOut, setError));
  }, [examId, onSignedOut]);
  useEffect(load, [load]);

  const upload = async (file: File) => {
    setError(null);
    setResult(null);
    api.handIn({ examId }, await file.arrayBuffer()).then(
      (answer) => {
        setResult(answer);
        load();
      },
      handleFailure(onSignedOut, setError),
    );
  };
  return (
    <details className="hand-ins">
      <summary>{t('handIn.title')}</summary>
      <p className="muted">{t('handIn.hint')}</p>
      <label>
        {t('handIn.file')}
        <input
          type="file"
          accept=".vakt,.json,application/json"
          onChange={(event) => {
            const file = event.target.files?.[0];
            if (file) void upload(file);
          }}
        />
      </label>
      {result && (
        <p role="status">
          {result.held
            ? t('handIn.held', { reason: result.held.reason })
            : t('handIn.stored', { count: result.stored })}
          {result.refusal && ` ${t('handIn.refused', { message: result.refusal.message })}`}
        </p>
      )}
      {error && <Problems error={error} />}
      <h3>{t('handIn.heldTitle')}</h3>
      {held.length === 0 ? (
        <p>{t('handIn.none')}</p>
      ) : (
        <ul>
          {held.map((file) => (
            <li key={file.id}>
              {t('handIn.heldLine', {
                number: file.candidateNumber ?? '?',
                count: file.records,
                reason: file.reason,
                at: new Date(file.receivedAt),
                formatParams: { at: DATE_TIME },
              })}
            </li>
          ))}
        </ul>
      )}
    </details>
  );
}
