import { useTranslation } from 'react-i18next';

import type { ClientState } from '../../common/ipc';

/** Online, unstable or offline, and how many changes wait to be sent. */
export function ConnectionBadge({ state }: { state: ClientState }) {
  const { t } = useTranslation();
  return (
    <p className={`connection ${state.connectivity}`} aria-live="polite">
      <span className="dot" aria-hidden="true" />
      {t(`exam.${state.connectivity}`)}
      {state.unsyncedRecords > 0 && (
        <span className="waiting"> · {t('exam.waiting', { count: state.unsyncedRecords })}</span>
      )}
    </p>
  );
}
