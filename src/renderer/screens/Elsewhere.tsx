import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { ProblemCode } from '../../common/problems';

/** The problems that mean the exam is not going on on this computer now. */
const ELSEWHERE = ['awaiting-approval', 'fetching-answers', 'replaced'] as const;
type Elsewhere = (typeof ELSEWHERE)[number];

export function isElsewhere(code: ProblemCode | undefined): code is Elsewhere {
  return (ELSEWHERE as readonly string[]).includes(code ?? '');
}

/**
 * Over everything, calmly, when the exam is not going on here: this computer waits for the
 * invigilator's approval, fetches the candidate's answers, or was replaced by another
 * computer (then nothing written here counts, and the candidate may close Vakt).
 */
export function ElsewhereScreen({ code }: { code: Elsewhere }) {
  const { t } = useTranslation();
  const [leaving, setLeaving] = useState(false);

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
      <h1 id="elsewhere-title">{t(`elsewhere.${code}`)}</h1>
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
