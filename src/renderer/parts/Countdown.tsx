import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { LiveNotice } from './LiveNotice';

const WARNINGS = [10, 5, 1];

/** The server's clock now (this computer's plus the offset), ticking every second. */
export function useServerNow(clockOffsetMs: number): number {
  const [now, setNow] = useState(() => Date.now() + clockOffsetMs);
  useEffect(() => {
    const tick = () => setNow(Date.now() + clockOffsetMs);
    tick();
    const timer = setInterval(tick, 1000);
    return () => clearInterval(timer);
  }, [clockOffsetMs]);
  return now;
}

/** Time left as h:mm:ss or m:ss. */
export function formatLeft(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0
    ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}`
    : `${minutes}:${seconds}`;
}

/**
 * Counts down to the deadline on the server's clock (this computer's clock plus the offset),
 * and says so at 10, 5 and 1 minute: a notice under the clock that takes no focus, politely
 * announced at 10 and 5, assertively at 1 (and then shown large). Paused, it stands at what
 * was left when the pause began.
 */
export function Countdown({
  deadline,
  clockOffsetMs,
  pausedAt = null,
}: {
  deadline: number;
  clockOffsetMs: number;
  pausedAt?: number | null;
}) {
  const { t } = useTranslation();
  const now = useServerNow(clockOffsetMs);
  /** The last threshold crossed (10, 5 or 1 minutes), shown until the next. */
  const [warned, setWarned] = useState<number | null>(null);
  const crossed = useRef(new Set<number>());

  const left = deadline - (pausedAt ?? now);
  useEffect(() => {
    // Time was added: a warning no longer true goes, and may come again later.
    for (const minutes of crossed.current)
      if (left > minutes * 60_000) crossed.current.delete(minutes);
    if (warned !== null && left > warned * 60_000) setWarned(null);
    for (const minutes of WARNINGS) {
      // Only the threshold just crossed: a restart with 3 minutes left warns about 5, not 10.
      if (
        left <= minutes * 60_000 &&
        left > (minutes - 1) * 60_000 &&
        !crossed.current.has(minutes)
      ) {
        crossed.current.add(minutes);
        setWarned(minutes);
      }
    }
  }, [left, warned]);

  const last = warned === 1;
  const warning = warned === null ? '' : t('exam.warning', { count: warned });
  return (
    <div className={`countdown${left <= 5 * 60_000 ? ' urgent' : ''}`}>
      <span className="label">{t('exam.timeLeft')}</span>{' '}
      <time dateTime={`PT${Math.max(0, Math.ceil(left / 1000))}S`}>{formatLeft(left)}</time>
      <LiveNotice className="warning" shown={warning} said={warning} urgent={last} />
    </div>
  );
}
