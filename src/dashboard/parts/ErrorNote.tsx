import { useTranslation } from 'react-i18next';

import type { ApiError } from '../api';

const WORDED = new Set([
  'network',
  'wrong-credentials',
  'too-many-attempts',
  'signed-out',
  'not-found',
  'forbidden',
  'account-disabled',
  'last-admin',
  'already-submitted',
  'already-paused',
  'not-paused',
  'exam-started',
  'not-running',
  'paused',
  'candidate-started',
  'has-data',
]);

/** A refusal or failure in the staff member's language; the server's own words otherwise. */
export function ErrorNote({ error }: { error: ApiError }) {
  const { t } = useTranslation();
  return (
    <p className="error" role="alert">
      {WORDED.has(error.code)
        ? t(`errors.${error.code}`)
        : t('errors.other', { message: error.message })}
    </p>
  );
}

/** Runs a staff API call; a signed-out answer goes to `onSignedOut`, other errors to `onError`. */
export function handleFailure(
  onSignedOut: () => void,
  onError: (error: ApiError) => void,
): (error: ApiError) => void {
  return (error) => (error.code === 'signed-out' ? onSignedOut() : onError(error));
}
