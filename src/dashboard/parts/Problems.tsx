import { useTranslation } from 'react-i18next';

import type { ApiError } from '../api';

import { ErrorNote } from './ErrorNote';

/** A refusal with each problem of a form or file on its own line, as the server listed them. */
export function Problems({ error }: { error: ApiError }) {
  const { t } = useTranslation();
  if (error.problems.length === 0) return <ErrorNote error={error} />;
  return (
    <div className="error" role="alert">
      <p>{t('admin.problems', { count: error.problems.length })}</p>
      <ul>
        {error.problems.map((problem) => (
          <li key={problem}>{problem}</li>
        ))}
      </ul>
    </div>
  );
}
