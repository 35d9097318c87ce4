import { useTranslation } from 'react-i18next';

import type { TimelineEntry } from '../../common/staff-api';

export const DATE_TIME = { dateStyle: 'short', timeStyle: 'medium' } as const;

/** "Confirmed by ada@school.no at 12.06.27 09:14: spoke to the candidate". */
export function ReviewLine({ review }: { review: TimelineEntry['reviews'][number] }) {
  const { t } = useTranslation();
  return (
    <p className="review">
      {t('candidate.reviewedBy', {
        decision: t(`candidate.decisions.${review.decision}`),
        reviewer: review.reviewer,
        comment: review.comment,
        at: new Date(review.at),
        formatParams: { at: DATE_TIME },
      })}
    </p>
  );
}
