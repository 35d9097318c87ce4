import { useTranslation } from 'react-i18next';

import type { ClientState } from '../../common/ipc';

import { formatLeft, useServerNow } from './Countdown';
import { LiveNotice } from './LiveNotice';

/**
 * The waiting room's clock: the exam's title, when it opens, and a countdown on the server's
 * clock (this computer's plus the offset). Said once, politely, when less than a minute is
 * left; the second-by-second figures are not read out.
 */
export function Opening({
  opening,
  clockOffsetMs,
}: {
  opening: NonNullable<ClientState['opening']>;
  clockOffsetMs: number;
}) {
  const { t } = useTranslation();
  const now = useServerNow(clockOffsetMs);

  const left = opening.opensAt - now;
  const soon = left <= 60_000 ? t('waiting.soon') : '';
  return (
    <div className="opening">
      <p className="opening-title">{opening.title}</p>
      <p>{t('waiting.opensAt', { opensAt: opening.opensAt })}</p>
      <p className="opening-countdown">
        <span className="label">{t('waiting.opensIn')}</span>{' '}
        <time dateTime={`PT${Math.max(0, Math.ceil(left / 1000))}S`}>{formatLeft(left)}</time>
      </p>
      <LiveNotice className="opening-soon" shown={null} said={soon} urgent={false} />
    </div>
  );
}
