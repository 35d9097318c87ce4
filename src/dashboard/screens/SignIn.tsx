import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

import type { StaffUser } from '../../common/staff-api';
import { api, type ApiError } from '../api';
import { formText } from '../form';
import { ErrorNote } from '../parts/ErrorNote';

export function SignIn({ onSignedIn }: { onSignedIn: (user: StaffUser) => void }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    setBusy(true);
    setError(null);
    api.signIn(formText(form, 'email'), formText(form, 'password')).then(
      ({ user }) => onSignedIn(user),
      (failure: ApiError) => {
        setError(failure);
        setBusy(false);
      },
    );
  };
  return (
    <form className="sign-in" onSubmit={submit}>
      <h1>{t('signIn.title')}</h1>
      <label>
        {t('signIn.email')}
        <input name="email" type="email" autoComplete="username" required />
      </label>
      <label>
        {t('signIn.password')}
        <input name="password" type="password" autoComplete="current-password" required />
      </label>
      {error && <ErrorNote error={error} />}
      <button type="submit" disabled={busy}>
        {busy ? t('signIn.busy') : t('signIn.submit')}
      </button>
    </form>
  );
}
