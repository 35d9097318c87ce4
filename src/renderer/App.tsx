import { useState, type FormEvent } from 'react';

import { errorWords } from './words';

function field(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
}

/** Sign-in: exam code, candidate number, personal code. The exam screens follow in later issues. */
export function App() {
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

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
    setProblem(result.ok ? null : errorWords(result.error));
  }

  return (
    <main>
      <h1>Vakt</h1>
      <form onSubmit={(event) => void signIn(event)}>
        <label htmlFor="examCode">Exam code</label>
        <input id="examCode" name="examCode" autoComplete="off" required />
        <label htmlFor="candidateNumber">Candidate number</label>
        <input id="candidateNumber" name="candidateNumber" autoComplete="off" required />
        <label htmlFor="personalCode">Personal code</label>
        <input id="personalCode" name="personalCode" type="password" required />
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      {problem && (
        <p className="problem" role="alert">
          {problem}
        </p>
      )}
    </main>
  );
}
