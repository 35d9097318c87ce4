import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';

import { chosenLanguage } from './i18n';
import { Messages } from './parts/Messages';
import { ProblemBanner } from './parts/ProblemBanner';
import { Settings } from './parts/Settings';
import { ElsewhereScreen } from './screens/Elsewhere';
import { Exam } from './screens/Exam';
import { Locked } from './screens/Locked';
import { Paused } from './screens/Paused';
import { Preflight } from './screens/Preflight';
import { Receipt } from './screens/Receipt';
import { SignIn } from './screens/SignIn';
import { useClientState, useExam, useSignInDefaults } from './vakt-hooks';

/** The candidate's screens, chosen by the phase main pushes. */
export function App() {
  const { t, i18n } = useTranslation();
  const state = useClientState();
  const defaults = useSignInDefaults();
  // The language IT set for this computer, unless the candidate picked another.
  useEffect(() => {
    if (defaults?.language && !chosenLanguage()) void i18n.changeLanguage(defaults.language);
  }, [defaults?.language, i18n]);

  const preview = document.documentElement.dataset.preview === 'true';

  // Waiting for approval, fetching the answers, or replaced: the exam is not going on here.
  const elsewhere = state?.elsewhere ?? null;
  // Read once the exam is here: an approved laptop then opens on the answers it fetched.
  // Not in the waiting room either: the questions come at the opening.
  const exam = useExam(
    state !== null && state.phase !== 'signed-out' && elsewhere === null && state.opening === null,
  );

  let screen;
  if (!state) screen = null;
  else if (state.phase === 'signed-out') screen = <SignIn defaults={defaults} />;
  else if (state.phase === 'preflight') screen = <Preflight state={state} />;
  else if (state.phase === 'in-progress' || state.phase === 'locked' || state.phase === 'paused') {
    // Locked or paused, the exam stays underneath (inert): where the candidate was and what
    // they typed are there when it goes on.
    screen = exam && (
      <>
        <div inert={state.phase !== 'in-progress'}>
          <Exam state={state} exam={exam} />
        </div>
        {state.phase === 'locked' && <Locked state={state} />}
        {state.phase === 'paused' && <Paused state={state} />}
      </>
    );
  } else screen = <Receipt state={state} exam={exam} />;

  return (
    <div className="app">
      {preview && (
        <p className="preview" role="note">
          {t('app.preview')}
        </p>
      )}
      <Settings signedIn={state !== null && state.phase !== 'signed-out'} />
      {state && !elsewhere && <ProblemBanner state={state} />}
      {/* Inert under a screen that says where the exam went (the exam is read again after). */}
      <div className="screen" inert={elsewhere !== null}>
        {screen}
      </div>
      {elsewhere && <ElsewhereScreen code={elsewhere} />}
      {state && state.phase !== 'signed-out' && <Messages state={state} />}
    </div>
  );
}
