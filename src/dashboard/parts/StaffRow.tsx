import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

import { STAFF_ROLES, type StaffAccount, type StaffRole } from '../../common/staff-api';
import { api, type ApiError } from '../api';
import { formText } from '../form';

import { handleFailure } from './ErrorNote';
import { Problems } from './Problems';

/**
 * One staff account on the admin page, and what an admin fixes on the day: its role, cutting it
 * off (disable: its sessions and open dashboards end at once), a new password, signing it out
 * everywhere. Each takes effect at once and is audited by the server.
 */
export function StaffRow(props: {
  user: StaffAccount;
  onChanged: () => void;
  onSignedOut: () => void;
}) {
  const { t } = useTranslation();
  const { user } = props;
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const userId = user.id;

  const run = (call: Promise<unknown>, said: string) => {
    setError(null);
    setDone(null);
    call.then(
      () => {
        setDone(said);
        setConfirming(false);
        props.onChanged();
      },
      handleFailure(props.onSignedOut, setError),
    );
  };
  const setRole = (role: StaffRole) =>
    run(api.updateUser({ userId }, { role }), t('admin.account.roleChanged'));
  const setPassword = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    run(
      api
        .resetPassword({ userId }, { password: formText(form, 'password') })
        .then(() => form.reset()),
      t('admin.account.passwordSet'),
    );
  };

  return (
    <tr className={user.disabled ? 'disabled' : undefined}>
      <td>{user.name}</td>
      <td>{user.email}</td>
      <td>
        <select
          aria-label={t('admin.account.roleOf', { email: user.email })}
          value={user.role}
          onChange={(event) => setRole(event.target.value as StaffRole)}
        >
          {STAFF_ROLES.map((role) => (
            <option key={role} value={role}>
              {t(`app.roles.${role}`)}
            </option>
          ))}
        </select>
      </td>
      <td>{user.disabled ? t('admin.account.disabled') : t('admin.account.active')}</td>
      <td className="account-actions">
        {user.disabled ? (
          <button
            type="button"
            onClick={() =>
              run(api.updateUser({ userId }, { disabled: false }), t('admin.account.enabled'))
            }
          >
            {t('admin.account.enable')}
          </button>
        ) : confirming ? (
          <span role="alert">
            {t('admin.account.confirmDisable', { email: user.email })}{' '}
            <button
              type="button"
              onClick={() =>
                run(api.updateUser({ userId }, { disabled: true }), t('admin.account.wasDisabled'))
              }
            >
              {t('admin.account.disable')}
            </button>{' '}
            <button type="button" onClick={() => setConfirming(false)}>
              {t('room.cancel')}
            </button>
          </span>
        ) : (
          <button type="button" onClick={() => setConfirming(true)}>
            {t('admin.account.disable')}
          </button>
        )}{' '}
        <button
          type="button"
          onClick={() => run(api.endSessions({ userId }), t('admin.account.signedOut'))}
        >
          {t('admin.account.signOut')}
        </button>
        <details>
          <summary>{t('admin.account.newPassword')}</summary>
          <form onSubmit={setPassword}>
            <label>
              {t('admin.account.passwordFor', { email: user.email })}
              <input
                name="password"
                type="password"
                required
                minLength={12}
                autoComplete="new-password"
              />
            </label>{' '}
            <button type="submit">{t('admin.account.setPassword')}</button>
          </form>
        </details>
        {error && <Problems error={error} />}
        {done && !error && <p role="status">{done}</p>}
      </td>
    </tr>
  );
}
