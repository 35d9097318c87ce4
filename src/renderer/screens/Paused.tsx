import { useTranslation } from 'react-i18next';

import type { ClientState } from '../../common/ipc';
import { formatLeft } from '../parts/Countdown';

/** Over the whole exam while it is paused: the clock has stopped, and how much time is left. */
export function Paused({ state }: { state: ClientState }) {
  const { t } = useTranslation();
  const left =
    state.deadline !== null && state.pausedAt !== null ? state.deadline - state.pausedAt : null;
  return (
    <div className="locked" role="alertdialog" aria-modal="true" aria-labelledby="paused-title">
      <h1 id="paused-title">{t('paused.title')}</h1>
      <p>{t('paused.body')}</p>
      {left !== null && (
        <p className="paused-left">{t('paused.timeLeft', { time: formatLeft(left) })}</p>
      )}
    </div>
  );
}
