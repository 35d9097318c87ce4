import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { ClientState } from '../../common/ipc';

type Elsewhere = NonNullable<ClientState['elsewhere']>;

/**
 * Over everything, calmly, when the exam is not going on here: this computer waits for the
 * invigilator's approval, fetches the candidate's answers, or was replaced by another
 * computer (then nothing written here counts, and the candidate may close Vakt).
 */
export function ElsewhereScreen({ code }: { code: Elsewhere }) {
  const { t } = useTranslation();
  const [leaving, setLeaving] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  // Focus comes here, so a screen reader says where the exam went.
  useEffect(() => heading.current?.focus(), [code]);

  async function leave() {
    const result = await window.vakt.requestExit({});
    setLeaving(result.ok && result.value.allowed);
  }

  return (
    <div
      className={`locked elsewhere elsewhere-${code}`}
      role="alertdialog"
      aria-modal="true"
      aria-labelledby="elsewhere-title"
      aria-describedby="elsewhere-body"
    >
      <h1 id="elsewhere-title" ref={heading} tabIndex={-1}>
        {t(`elsewhere.${code}`)}
      </h1>
      <p id="elsewhere-body">{t(`problems.${code}`)}</p>
      {code === 'awaiting-approval' && <p>{t('elsewhere.stayHere')}</p>}
      {code === 'fetching-answers' && <progress aria-labelledby="elsewhere-title" />}
      {code === 'replaced' &&
        (leaving ? (
          <p role="status">{t('elsewhere.closing')}</p>
        ) : (
          <button type="button" onClick={() => void leave()}>
            {t('receipt.leave')}
          </button>
        ))}
    </div>
  );
}
