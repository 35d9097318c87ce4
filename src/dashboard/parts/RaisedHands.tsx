import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { CandidateRow } from '../../common/staff-api';
import { api, type ApiError } from '../api';
import { hrefOf } from '../route';

import { ErrorNote, handleFailure } from './ErrorNote';

/** A short two-note chime (Web Audio): heard across the room when a new hand goes up. */
function chime(): void {
  try {
    const audio = new AudioContext();
    for (const [index, frequency] of [660, 880].entries()) {
      const tone = audio.createOscillator();
      const gain = audio.createGain();
      tone.frequency.value = frequency;
      gain.gain.value = 0.15;
      tone.connect(gain).connect(audio.destination);
      tone.start(audio.currentTime + index * 0.18);
      tone.stop(audio.currentTime + index * 0.18 + 0.15);
    }
    setTimeout(() => void audio.close(), 1_000);
  } catch {
    // No audio here (a browser policy, no device): the list still shows the hand.
  }
}

/**
 * The queue of raised hands, oldest first, with what each candidate wrote; an invigilator
 * marks one answered when they have been to the desk. A new hand chimes once.
 */
export function RaisedHands(props: {
  examId: string;
  rows: ReadonlyMap<string, CandidateRow>;
  now: number;
  onSignedOut: () => void;
}) {
  const { t } = useTranslation();
  const { examId, rows, now } = props;
  const [error, setError] = useState<ApiError | null>(null);
  const hands = [...rows.values()]
    .filter((row) => row.handRaisedAt !== null)
    .sort((a, b) => a.handRaisedAt! - b.handRaisedAt!);
  const seen = useRef<Set<string> | null>(null);
  useEffect(() => {
    const raised = new Set(hands.map((row) => `${row.id}@${row.handRaisedAt}`));
    // Not on the first load: only hands raised while the page is open chime.
    if (seen.current && [...raised].some((hand) => !seen.current!.has(hand))) chime();
    seen.current = raised;
  });

  const answer = (candidateId: string) => {
    setError(null);
    api
      .instruct({ examId, candidateId }, { kind: 'hand-answered' })
      .catch(handleFailure(props.onSignedOut, setError));
  };

  return (
    <section className="raised-hands" aria-labelledby="hands-title">
      <h2 id="hands-title">{t('hands.title', { count: hands.length })}</h2>
      <div aria-live="polite">
        {hands.length === 0 ? (
          <p className="muted">{t('hands.none')}</p>
        ) : (
          <ol>
            {hands.map((row) => (
              <li key={row.id}>
                <a href={hrefOf({ page: 'candidate', examId, candidateId: row.id })}>
                  {row.candidateNumber} {row.name}
                </a>{' '}
                <span className="muted">
                  {t('hands.since', {
                    count: Math.max(0, Math.floor((now - row.handRaisedAt!) / 60_000)),
                  })}
                </span>
                {row.handText && <q className="hand-text">{row.handText}</q>}{' '}
                <button type="button" onClick={() => answer(row.id)}>
                  {t('hands.answered')}
                </button>
              </li>
            ))}
          </ol>
        )}
      </div>
      {error && <ErrorNote error={error} />}
    </section>
  );
}
