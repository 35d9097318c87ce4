import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

import type { SignInDefaults } from '../../common/ipc';
import { errorWords } from '../words';

function field(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
}

/**
 * Exam code, candidate number, personal code. Also the way back after the server refused the
 * token: the same form signs the open session in again.
 */
export function SignIn({
  again = false,
  defaults = null,
}: {
  again?: boolean;
  /** The configured server, a linked exam code, and what IT must fix (null until known). */
  defaults?: SignInDefaults | null;
}) {
  const { t } = useTranslation();
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const examCode = useRef<HTMLInputElement>(null);

  // A link fills in the exam code, whether it started Vakt or arrived while it was open.
  useEffect(() => {
    if (!defaults?.examCode || !examCode.current) return;
    examCode.current.value = defaults.examCode;
  }, [defaults?.examCode]);

  async function signIn(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    const result = await window.vakt.signIn({
      examCode: field(form, 'examCode'),
      candidateNumber: field(form, 'candidateNumber'),
      personalCode: field(form, 'personalCode'),
    });
    setBusy(false);
    setProblem(result.ok ? null : errorWords(t, result.error));
  }

  return (
    <section className="sign-in" aria-labelledby="sign-in-title">
      {again ? null : <h1 id="sign-in-title">{t('signIn.title')}</h1>}
      {defaults?.configProblem && (
        <div className="problem" role="alert">
          <p>{t('signIn.configProblem')}</p>
          <p>
            <code>
              {defaults.configProblem.source}
              {defaults.configProblem.key ? ` › ${defaults.configProblem.key}` : ''}:{' '}
              {defaults.configProblem.detail}
            </code>
          </p>
        </div>
      )}
      <form onSubmit={(event) => void signIn(event)}>
        <label htmlFor="examCode">{t('signIn.examCode')}</label>
        <input id="examCode" name="examCode" ref={examCode} autoComplete="off" required />
        <label htmlFor="candidateNumber">{t('signIn.candidateNumber')}</label>
        <input id="candidateNumber" name="candidateNumber" autoComplete="off" required />
        <label htmlFor="personalCode">{t('signIn.personalCode')}</label>
        <input id="personalCode" name="personalCode" type="password" required />
        <button type="submit" disabled={busy}>
          {busy ? t('signIn.busy') : t('signIn.submit')}
        </button>
      </form>
      {defaults?.updateAvailable && (
        <p className="hint" role="status">
          {t('signIn.updateAvailable', { version: defaults.updateAvailable })}
        </p>
      )}
      {defaults?.server && (
        <p className="hint">{t('signIn.server', { server: defaults.server })}</p>
      )}
      {problem && (
        <p className="problem" role="alert">
          {problem}
        </p>
      )}
    </section>
  );
}
