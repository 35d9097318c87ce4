import { useTranslation } from 'react-i18next';

import type { SignInSlip } from '../../common/staff-api';

/**
 * Sign-in slips to print, one A4 page each: exam code, candidate number, name and the new
 * personal code, large. The codes are shown this once (the server keeps only their hashes), so
 * the page says to print them now. Printing shows the slips alone.
 */
export function Slips(props: { examCode: string; slips: SignInSlip[]; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <section className="slips-layer" aria-labelledby="slips-title">
      <div className="no-print">
        <h2 id="slips-title">{t('slips.title', { count: props.slips.length })}</h2>
        <p>{t('slips.once')}</p>
        <button type="button" className="primary" onClick={() => window.print()}>
          {t('slips.print')}
        </button>{' '}
        <button type="button" onClick={props.onClose}>
          {t('slips.close')}
        </button>
      </div>
      {props.slips.map((slip) => (
        <article key={slip.candidateId} className="slip">
          <h3>{t('slips.heading')}</h3>
          <dl>
            <dt>{t('slips.examCode')}</dt>
            <dd>{props.examCode}</dd>
            <dt>{t('slips.candidateNumber')}</dt>
            <dd>{slip.candidateNumber}</dd>
            <dt>{t('slips.name')}</dt>
            <dd>{slip.name}</dd>
            <dt>{t('slips.personalCode')}</dt>
            <dd className="code">{slip.personalCode}</dd>
          </dl>
          <p className="muted">{t('slips.keep')}</p>
        </article>
      ))}
    </section>
  );
}
