import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * Says so when an invigilator adds time ("15 more minutes"), politely (it does not take focus),
 * until the candidate dismisses it; the countdown moved by itself already. Time added before
 * this screen was shown (a restart) is not announced again.
 */
export function AddedTime({ addedMinutes }: { addedMinutes: number }) {
  const { t } = useTranslation();
  const seen = useRef(addedMinutes);
  const [added, setAdded] = useState(0);
  useEffect(() => {
    if (addedMinutes > seen.current) setAdded((before) => before + addedMinutes - seen.current);
    seen.current = addedMinutes;
  }, [addedMinutes]);

  return (
    <div className="added-time" role="status">
      {added > 0 && (
        <p>
          {t('exam.timeAdded', { count: added })}{' '}
          <button type="button" onClick={() => setAdded(0)}>
            {t('exam.dismiss')}
          </button>
        </p>
      )}
    </div>
  );
}
