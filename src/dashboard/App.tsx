import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { LANGUAGES } from '../common/languages';
import type { StaffUser } from '../common/staff-api';

import { api, ApiError } from './api';
import { ErrorNote } from './parts/ErrorNote';
import { hrefOf, useRoute } from './route';
import { Admin } from './screens/Admin';
import { CandidatePage } from './screens/CandidatePage';
import { ExamList } from './screens/ExamList';
import { ExamPage } from './screens/ExamPage';
import { Privacy } from './screens/Privacy';
import { Report } from './screens/Report';
import { SignIn } from './screens/SignIn';

/** The invigilator and admin UI: sign-in, then the page the hash route names. */
export function App() {
  const { t } = useTranslation();
  const route = useRoute();
  const [user, setUser] = useState<StaffUser | null | undefined>(undefined);
  const [problem, setProblem] = useState<ApiError | null>(null);

  useEffect(() => {
    api.me().then(
      ({ user: me }) => setUser(me),
      (error: ApiError) => {
        setUser(null);
        if (error.code !== 'signed-out') setProblem(error);
      },
    );
  }, []);
  useEffect(() => {
    document.title = t('app.title');
  }, [t]);

  const signedOut = useCallback(() => {
    setUser(null);
    setProblem(new ApiError(401, 'signed-out', ''));
  }, []);
  const signOut = () => {
    void api.signOut().finally(() => setUser(null));
  };

  return (
    <>
      <a className="skip" href="#main">
        {t('app.skip')}
      </a>
      <header className="top">
        <span className="brand">Vakt</span>
        <LanguagePicker />
        {user && (
          <>
            {user.role === 'admin' && <a href={hrefOf({ page: 'admin' })}>{t('admin.title')}</a>}
            <span className="who">
              {t('app.signedInAs', { name: user.name, role: t(`app.roles.${user.role}`) })}
            </span>
            <button type="button" onClick={signOut}>
              {t('app.signOut')}
            </button>
          </>
        )}
      </header>
      <main id="main" tabIndex={-1}>
        {problem && <ErrorNote error={problem} />}
        {user === undefined && <p>{t('app.loading')}</p>}
        {user === null && (
          <SignIn
            onSignedIn={(me) => {
              setProblem(null);
              setUser(me);
            }}
          />
        )}
        {user && route.page === 'exams' && <ExamList onSignedOut={signedOut} />}
        {user && route.page === 'exam' && (
          <ExamPage examId={route.examId} user={user} onSignedOut={signedOut} />
        )}
        {user?.role === 'admin' && route.page === 'admin' && <Admin onSignedOut={signedOut} />}
        {user?.role === 'admin' && route.page === 'privacy' && <Privacy onSignedOut={signedOut} />}
        {user && route.page === 'candidate' && (
          <CandidatePage
            // A page per candidate: nothing of one (a timeline read on its way) reaches another.
            key={`${route.examId}/${route.candidateId}`}
            examId={route.examId}
            candidateId={route.candidateId}
            admin={user.role === 'admin'}
            onSignedOut={signedOut}
          />
        )}
        {user && route.page === 'report' && (
          <Report examId={route.examId} user={user} onSignedOut={signedOut} />
        )}
      </main>
    </>
  );
}

function LanguagePicker() {
  const { t, i18n } = useTranslation();
  return (
    <label className="language">
      {t('app.language')}{' '}
      <select
        value={i18n.language}
        onChange={(event) => void i18n.changeLanguage(event.target.value)}
      >
        {LANGUAGES.map((language) => (
          <option key={language.code} value={language.code} lang={language.code}>
            {language.name}
          </option>
        ))}
      </select>
    </label>
  );
}
