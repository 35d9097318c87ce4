import { useTranslation } from 'react-i18next';

import type { ClientState } from '../../common/ipc';

/** Full screen while the exam is locked: why, and that nothing is lost. */
export function Locked({ state }: { state: ClientState }) {
  const { t } = useTranslation();
  return (
    <section className="locked" aria-labelledby="locked-title">
      <h1 id="locked-title">{t('locked.title')}</h1>
      <p>{state.lockedBy === 'policy' ? t('locked.timeUp') : t('locked.byInvigilator')}</p>
    </section>
  );
}
