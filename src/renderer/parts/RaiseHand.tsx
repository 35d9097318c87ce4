import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

import type { ClientState } from '../../common/ipc';

/** How long "an invigilator has seen your hand" stays (also across a restart), unless OK'd. */
const HAND_ANSWER_SHOWN_MS = 3 * 60_000;

/**
 * Asks for an invigilator without leaving the seat: a few words if the candidate likes, then
 * "hand raised" until an invigilator answers (or the candidate lowers it), then "an
 * invigilator has seen it" for a few minutes or until the candidate says OK. Offline, the hand
 * is kept and goes up when the connection returns, and the candidate is told so.
 */
export function RaiseHand({ state }: { state: ClientState }) {
  const { t } = useTranslation();
  const [asking, setAsking] = useState(false);
  const [text, setText] = useState('');
  // The answer the candidate said OK to (by when it came), and whether it is still recent.
  const answeredAt = state.handAnsweredAt;
  const [okFor, setOkFor] = useState<number | null>(null);
  const [recent, setRecent] = useState(false);
  useEffect(() => {
    const left = answeredAt === null ? 0 : answeredAt + HAND_ANSWER_SHOWN_MS - Date.now();
    setRecent(left > 0);
    if (left <= 0) return;
    const timer = setTimeout(() => setRecent(false), left);
    return () => clearTimeout(timer);
  }, [answeredAt]);

  if (state.handRaised) {
    return (
      <div className="raise-hand raised" role="status">
        <span>{t(state.connectivity === 'offline' ? 'hand.raisedOffline' : 'hand.raised')}</span>{' '}
        <button type="button" onClick={() => void window.vakt.lowerHand({})}>
          {t('hand.lower')}
        </button>
      </div>
    );
  }
  if (!asking) {
    const seen = recent && answeredAt !== okFor;
    return (
      <div className={`raise-hand${seen ? ' answered' : ''}`}>
        <p className="hand-answered" role="status">
          {seen && (
            <>
              {t('hand.answered')}{' '}
              <button type="button" onClick={() => setOkFor(answeredAt)}>
                {t('hand.answeredOk')}
              </button>
            </>
          )}
        </p>
        <button type="button" onClick={() => setAsking(true)}>
          {t('hand.raise')}
        </button>
      </div>
    );
  }
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const words = text.trim();
    void window.vakt.raiseHand(words ? { text: words } : {}).then(() => {
      setAsking(false);
      setText('');
    });
  };
  return (
    <form className="raise-hand" onSubmit={submit}>
      <label>
        {t('hand.text')}
        <input
          value={text}
          maxLength={200}
          onChange={(event) => setText(event.target.value)}
          autoFocus
        />
      </label>
      <button type="submit">{t('hand.send')}</button>
      <button type="button" onClick={() => setAsking(false)}>
        {t('hand.cancel')}
      </button>
    </form>
  );
}
