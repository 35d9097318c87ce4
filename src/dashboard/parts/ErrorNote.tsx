import { useTranslation } from 'react-i18next';

import { BAD_CSV_REASONS, isStaffErrorCode } from '../../common/staff-errors';
import type { ApiError } from '../api';

/** Why a candidate file was refused whole, as the server said (BAD_CSV_REASONS). */
function csvReason(error: ApiError): (typeof BAD_CSV_REASONS)[number] {
  const reason = error.params.reason;
  return BAD_CSV_REASONS.find((known) => known === reason) ?? 'invalid';
}

/** A refusal or failure in the staff member's language; the server's own words otherwise. */
export function ErrorNote({ error }: { error: ApiError }) {
  const { t } = useTranslation();
  return (
    <p className="error" role="alert">
      {error.code === 'local'
        ? error.message
        : isStaffErrorCode(error.code)
          ? t(
              error.code === 'bad-csv'
                ? `errors.bad-csv_${csvReason(error)}`
                : `errors.${error.code}`,
              { ...error.params, message: error.message },
            )
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
