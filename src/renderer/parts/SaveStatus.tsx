import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { SaveStatus as Status } from '../../common/ipc';

/** A status must hold this long before a screen reader hears it: typing is not a stream of news. */
export const ANNOUNCE_AFTER_MS = 2_000;

const WORDS = {
  saving: 'exam.saving',
  unsaved: 'exam.unsaved',
  'saved-locally': 'exam.savedLocally',
  'received-by-server': 'exam.received',
} as const;

/**
 * Where the answer is: on its way (calm, "Saving…"), on this computer, received by the server;
 * red "Not saved yet" only when saving is failing (`failing`). Shown at once; announced to
 * screen readers only once it has held for ANNOUNCE_AFTER_MS, and a failure at once.
 */
export function SaveStatus({ status, failing }: { status: Status | undefined; failing: boolean }) {
  const { t } = useTranslation();
  const shown = status === 'unsaved' && !failing ? 'saving' : status;
  const [announced, setAnnounced] = useState<typeof shown>(shown);
  useEffect(() => {
    if (shown === 'unsaved') {
      setAnnounced(shown);
      return;
    }
    const timer = setTimeout(() => setAnnounced(shown), ANNOUNCE_AFTER_MS);
    return () => clearTimeout(timer);
  }, [shown]);

  return (
    <>
      <p className={`save-status ${shown ?? 'none'}`}>{shown ? t(WORDS[shown]) : ''}</p>
      <p className="visually-hidden" aria-live={announced === 'unsaved' ? 'assertive' : 'polite'}>
        {announced ? t(WORDS[announced]) : ''}
      </p>
    </>
  );
}
