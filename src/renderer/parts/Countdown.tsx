import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

const WARNINGS = [10, 5, 1];

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
 * and says so at 10, 5 and 1 minute — shown, and announced to screen readers. Paused, it
 * stands at what was left when the pause began.
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
  const [now, setNow] = useState(() => Date.now() + clockOffsetMs);
  const [warning, setWarning] = useState<string | null>(null);
  const warned = useRef(new Set<number>());

  useEffect(() => {
    const tick = () => setNow(Date.now() + clockOffsetMs);
    tick();
    const timer = setInterval(tick, 1000);
    return () => clearInterval(timer);
  }, [clockOffsetMs]);

  const left = deadline - (pausedAt ?? now);
  useEffect(() => {
    for (const minutes of WARNINGS) {
      // Only the threshold just crossed: a restart with 3 minutes left warns about 5, not 10.
      if (
        left <= minutes * 60_000 &&
        left > (minutes - 1) * 60_000 &&
        !warned.current.has(minutes)
      ) {
        warned.current.add(minutes);
        setWarning(t('exam.warning', { count: minutes }));
      }
    }
  }, [left, t]);

  return (
    <div className={`countdown${left <= 5 * 60_000 ? ' urgent' : ''}`}>
      <span className="label">{t('exam.timeLeft')}</span>{' '}
      <time dateTime={`PT${Math.max(0, Math.ceil(left / 1000))}S`}>{formatLeft(left)}</time>
      <p className="warning" role="alert" aria-live="assertive">
        {warning}
      </p>
    </div>
  );
}
