import { useTranslation } from 'react-i18next';

import type { LiveStatus } from '../live';

/** Whether what is shown is live: a quiet "Live", or why it is not. */
export function LiveStatusNote({ status }: { status: LiveStatus }) {
  const { t } = useTranslation();
  if (status === 'ended')
    return (
      <span className="live live-ended" role="alert">
        {t('errors.liveEnded')}
      </span>
    );
  if (status === 'reconnecting')
    return (
      <span className="live live-lost" role="status">
        {t('errors.liveLost')}
      </span>
    );
  return (
    <span className="live" role="status">
      <span aria-hidden="true">● </span>
      {status === 'live' ? t('table.live') : t('app.loading')}
    </span>
  );
}
