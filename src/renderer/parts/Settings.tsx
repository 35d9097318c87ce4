import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

import { LANGUAGES } from '../../common/languages';
import { chooseLanguage } from '../i18n';
import { useStored } from '../vakt-hooks';

const SIZES = [1, 1.15, 1.3, 1.5, 1.75, 2];

/**
 * Language, text size and contrast, at any time (zoom keys are blocked in the kiosk); and
 * leaving with the invigilator's exit code.
 */
export function Settings({ signedIn }: { signedIn: boolean }) {
  const { t, i18n } = useTranslation();
  const [size, setSize] = useStored('vakt-text-size', 0);
  const [contrast, setContrast] = useStored('vakt-high-contrast', false);
  const [exiting, setExiting] = useState(false);
  const [exitProblem, setExitProblem] = useState<string | null>(null);
  const [leaving, setLeaving] = useState(false);

  useEffect(() => {
    document.documentElement.style.setProperty('--text-scale', String(SIZES[size] ?? 1));
    document.documentElement.classList.toggle('high-contrast', contrast);
  }, [size, contrast]);

  async function exit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const code = new FormData(event.currentTarget).get('exitCode');
    const result = await window.vakt.requestExit({
      exitCode: typeof code === 'string' ? code : '',
    });
    const allowed = result.ok && result.value.allowed;
    setExitProblem(allowed ? null : t('exit.wrong'));
    setLeaving(allowed);
  }

  return (
    <div className="settings">
      <label>
        {t('app.language')}{' '}
        <select value={i18n.language} onChange={(event) => chooseLanguage(event.target.value)}>
          {LANGUAGES.map((language) => (
            <option key={language.code} value={language.code} lang={language.code}>
              {language.name}
            </option>
          ))}
        </select>
      </label>
      <span role="group" aria-label={t('app.textSize')}>
        <button type="button" disabled={size === 0} onClick={() => setSize(size - 1)}>
          <span aria-hidden="true">A−</span>
          <span className="visually-hidden">{t('app.smaller')}</span>
        </button>
        <button
          type="button"
          disabled={size === SIZES.length - 1}
          onClick={() => setSize(size + 1)}
        >
          <span aria-hidden="true">A+</span>
          <span className="visually-hidden">{t('app.larger')}</span>
        </button>
      </span>
      <label>
        <input type="checkbox" checked={contrast} onChange={() => setContrast(!contrast)} />{' '}
        {t('app.contrast')}
      </label>
      {signedIn && (
        <button
          type="button"
          className="link"
          aria-expanded={exiting}
          onClick={() => setExiting(!exiting)}
        >
          {t('exit.title')}
        </button>
      )}
      {leaving && <p role="status">{t('exit.closing')}</p>}
      {signedIn && exiting && !leaving && (
        <form className="exit" onSubmit={(event) => void exit(event)}>
          <label htmlFor="exitCode">{t('exit.code')}</label>
          <input id="exitCode" name="exitCode" type="password" autoComplete="off" required />
          <button type="submit">{t('exit.leave')}</button>
          {exitProblem && (
            <p className="problem" role="alert">
              {exitProblem}
            </p>
          )}
        </form>
      )}
    </div>
  );
}
