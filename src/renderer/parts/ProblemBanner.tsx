import { useTranslation } from 'react-i18next';

import type { ClientState } from '../../common/ipc';
import { SignIn } from '../screens/SignIn';
import { problemWords } from '../words';

/** The one problem the candidate must see now; an expired sign-in comes with its form. */
export function ProblemBanner({ state }: { state: ClientState }) {
  const { t } = useTranslation();
  if (!state.problem) return null;
  return (
    <div className="banner" role="alert">
      <p>{problemWords(t, state.problem)}</p>
      {state.problem.code === 'token' && state.phase !== 'signed-out' && <SignIn again />}
    </div>
  );
}
