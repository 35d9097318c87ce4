import type { ReactNode } from 'react';

/**
 * A notice that takes no focus: shown as `shown` (nothing when null), and said to screen
 * readers as `said` — politely, or at once when `urgent`. Both live regions stay in the page
 * before their words arrive, so screen readers hear them; the notice changes only what is
 * said when the words do (not on every figure shown).
 */
export function LiveNotice(props: {
  className: string;
  shown: ReactNode | null;
  said: string;
  urgent: boolean;
}) {
  const { className, shown, said, urgent } = props;
  return (
    <>
      <p className={`${className}${urgent ? ' last' : ''}`} aria-hidden="true">
        {shown}
      </p>
      <p className="visually-hidden" role="status">
        {urgent ? '' : said}
      </p>
      <p className="visually-hidden" role="alert">
        {urgent ? said : ''}
      </p>
    </>
  );
}
