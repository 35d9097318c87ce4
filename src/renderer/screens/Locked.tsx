import { useTranslation } from 'react-i18next';

import type { ClientState } from '../../common/ipc';

/** Over the whole exam while it is locked: why, and that nothing is lost. */
export function Locked({ state }: { state: ClientState }) {
  const { t } = useTranslation();
  return (
    <div className="locked" role="alertdialog" aria-modal="true" aria-labelledby="locked-title">
      <h1 id="locked-title">{t('locked.title')}</h1>
      <p>{state.lockedBy === 'policy' ? t('locked.timeUp') : t('locked.byInvigilator')}</p>
      {state.lockReason && (
        <p className="lock-reason">{t('locked.reason', { reason: state.lockReason })}</p>
      )}
    </div>
  );
}
