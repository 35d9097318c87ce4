import type { TFunction } from 'i18next';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

import { AUDIT_DETAILS } from '../../common/audit-actions';
import { dateLocale } from '../../common/languages';
import { STAFF_ROLES, type StaffAccount, type StaffRole } from '../../common/staff-api';
import { api, ApiError, type AuditEntry } from '../api';
import { formText } from '../form';
import { ErrorNote, handleFailure } from '../parts/ErrorNote';
import { Problems } from '../parts/Problems';
import { StaffRow } from '../parts/StaffRow';
import { hrefOf } from '../route';

const AUDIT_ROWS = 200;

/** What only an administrator does: staff accounts, new exams, the audit log. */
export function Admin({ onSignedOut }: { onSignedOut: () => void }) {
  const { t } = useTranslation();
  return (
    <section className="admin">
      <p>
        <a href={hrefOf({ page: 'exams' })}>← {t('app.back')}</a>
      </p>
      <h1>{t('admin.title')}</h1>
      <p>
        <a href={hrefOf({ page: 'privacy' })}>{t('privacy.title')}</a> — {t('privacy.lead')}
      </p>
      <Staff onSignedOut={onSignedOut} />
      <NewExam onSignedOut={onSignedOut} />
      <Audit onSignedOut={onSignedOut} />
    </section>
  );
}

function Staff({ onSignedOut }: { onSignedOut: () => void }) {
  const { t } = useTranslation();
  const [users, setUsers] = useState<StaffAccount[]>([]);
  const [error, setError] = useState<ApiError | null>(null);
  const [created, setCreated] = useState<string | null>(null);
  const load = useCallback(() => {
    api.users().then(({ users: list }) => setUsers(list), handleFailure(onSignedOut, setError));
  }, [onSignedOut]);
  useEffect(load, [load]);
  const create = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    setError(null);
    api
      .createUser({
        email: formText(form, 'email'),
        name: formText(form, 'name'),
        role: formText(form, 'role') as StaffRole,
        password: formText(form, 'password'),
      })
      .then(
        ({ user }) => {
          form.reset();
          setCreated(user.email);
          load();
        },
        handleFailure(onSignedOut, setError),
      );
  };
  return (
    <section aria-labelledby="staff-title">
      <h2 id="staff-title">{t('admin.staff')}</h2>
      <table className="plain">
        <thead>
          <tr>
            <th scope="col">{t('admin.name')}</th>
            <th scope="col">{t('signIn.email')}</th>
            <th scope="col">{t('admin.role')}</th>
            <th scope="col">{t('admin.account.status')}</th>
            <th scope="col">{t('admin.account.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {users.map((user) => (
            <StaffRow key={user.id} user={user} onChanged={load} onSignedOut={onSignedOut} />
          ))}
        </tbody>
      </table>
      <h3>{t('admin.newStaff')}</h3>
      <form className="stacked" onSubmit={create}>
        <label>
          {t('admin.name')}
          <input name="name" required maxLength={200} />
        </label>
        <label>
          {t('signIn.email')}
          <input name="email" type="email" required maxLength={200} autoComplete="off" />
        </label>
        <label>
          {t('admin.role')}
          <select name="role" defaultValue="invigilator">
            {STAFF_ROLES.map((role) => (
              <option key={role} value={role}>
                {t(`app.roles.${role}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('admin.password')}
          <input
            name="password"
            type="password"
            required
            minLength={12}
            autoComplete="new-password"
          />
        </label>
        {error && <Problems error={error} />}
        {created && !error && <p role="status">{t('admin.created', { email: created })}</p>}
        <button type="submit">{t('admin.create')}</button>
      </form>
    </section>
  );
}

function NewExam({ onSignedOut }: { onSignedOut: () => void }) {
  const { t } = useTranslation();
  const [error, setError] = useState<ApiError | null>(null);
  const [created, setCreated] = useState<{ id: string; code: string; title: string } | null>(null);
  const upload = async (file: File) => {
    setError(null);
    setCreated(null);
    let json: unknown;
    try {
      json = JSON.parse(await file.text()) as unknown;
    } catch (failure) {
      // Made here, in the reader's words already: not a refusal by the server.
      setError(new ApiError(0, 'local', t('admin.notJson', { detail: String(failure) })));
      return;
    }
    api.createExam(json).then(({ exam }) => setCreated(exam), handleFailure(onSignedOut, setError));
  };
  return (
    <section aria-labelledby="new-exam-title">
      <h2 id="new-exam-title">{t('admin.newExam')}</h2>
      <label>
        {t('admin.examFile')}
        <input
          type="file"
          accept="application/json,.json"
          onChange={(event) => {
            const file = event.target.files?.[0];
            if (file) void upload(file);
          }}
        />
      </label>
      {error && <Problems error={error} />}
      {created && (
        <p role="status">
          {t('admin.examCreated', { code: created.code })}{' '}
          <a href={hrefOf({ page: 'exam', examId: created.id })}>{created.title}</a>
        </p>
      )}
    </section>
  );
}

function Audit({ onSignedOut }: { onSignedOut: () => void }) {
  const { t, i18n } = useTranslation();
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [verdict, setVerdict] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    api
      .audit(AUDIT_ROWS)
      .then(({ entries: list }) => setEntries(list), handleFailure(onSignedOut, setError));
  }, [onSignedOut]);
  const verify = () => {
    setVerdict(null);
    api.verifyAudit().then(
      ({ verdict: result }) => {
        setVerdict(
          result.ok
            ? t('admin.auditIntact', { count: result.entries, hash: result.headHash })
            : t('admin.auditBroken', { problem: result.problem }),
        );
      },
      handleFailure(onSignedOut, setError),
    );
  };
  const format = new Intl.DateTimeFormat(dateLocale(i18n.language), {
    dateStyle: 'short',
    timeStyle: 'medium',
  });
  return (
    <section aria-labelledby="audit-title">
      <h2 id="audit-title">{t('admin.audit')}</h2>
      <p>
        <button type="button" onClick={verify}>
          {t('admin.verify')}
        </button>
      </p>
      {verdict && (
        <p role="status" className="verdict">
          {verdict}
        </p>
      )}
      {error && <ErrorNote error={error} />}
      <table className="plain audit">
        <caption>{t('admin.auditNewest', { count: AUDIT_ROWS })}</caption>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">{t('candidate.time')}</th>
            <th scope="col">{t('admin.who')}</th>
            <th scope="col">{t('admin.action')}</th>
            <th scope="col">{t('admin.outcome')}</th>
            <th scope="col">{t('admin.detail')}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr key={entry.seq}>
              <td>{entry.seq}</td>
              <td>{format.format(entry.at)}</td>
              <td>
                {entry.actor_email ?? '—'} <span className="muted">{entry.address}</span>
              </td>
              <td>
                {t(`audit.actions.${entry.action}`, { defaultValue: entry.action })}{' '}
                <span className="muted">{entry.target}</span>
              </td>
              <td>{t(`audit.outcomes.${entry.outcome}`, { defaultValue: entry.outcome })}</td>
              <td>{auditDetail(t, entry.detail)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** A detail the server writes in fixed words, in the reader's language; data as it is. */
function auditDetail(t: TFunction, detail: string): string {
  const key = (AUDIT_DETAILS as Record<string, string>)[detail];
  const throttled = /^throttled for (\d+) s$/.exec(detail);
  if (throttled) return t('audit.throttled', { seconds: Number(throttled[1]) });
  return key ? t(`audit.details.${key}`) : detail;
}
