import { useTranslation } from 'react-i18next';

import type { PreflightReport } from '../../common/ipc';

/** What this exam records, in the candidate's language, before they start (docs/privacy.md). */
export function Recorded({ recorded }: { recorded: PreflightReport['recorded'] }) {
  const { t } = useTranslation();
  const kinds = (action: 'flag' | 'terminate') =>
    recorded.programs
      .filter((program) => program.action === action)
      .map((program) => t(`categories.${program.category}`))
      .join(', ');
  const noted = kinds('flag');
  const ended = kinds('terminate');
  return (
    <section className="recorded" aria-labelledby="recorded-title">
      <h2 id="recorded-title">{t('recorded.title')}</h2>
      <ul>
        {noted && <li>{t('recorded.programsNoted', { kinds: noted })}</li>}
        {ended && <li>{t('recorded.programsEnded', { kinds: ended })}</li>}
        {recorded.focus && (
          <li>{t(recorded.windowTitles ? 'recorded.focusWithTitles' : 'recorded.focus')}</li>
        )}
        {recorded.displays && <li>{t('recorded.displays')}</li>}
        {recorded.displays && <li>{t('recorded.machine')}</li>}
        <li>{t('recorded.device')}</li>
        <li>{t('recorded.answers')}</li>
      </ul>
      <p>{t('recorded.nothingElse')}</p>
    </section>
  );
}
