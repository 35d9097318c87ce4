import { useEffect, useState } from 'react';

import type { ClientState, ExamView, IpcError, SignInDefaults } from '../common/ipc';

/** The state main pushes, starting from what it has now. */
export function useClientState(): ClientState | null {
  const [state, setState] = useState<ClientState | null>(null);
  useEffect(() => {
    let pushed = false;
    const off = window.vakt.onEvent((event) => {
      if (event.type !== 'state') return;
      pushed = true;
      setState(event.state);
    });
    void window.vakt.getState({}).then((result) => {
      // A push that arrived meanwhile is newer than this answer.
      if (result.ok && !pushed) setState(result.value);
    });
    return off;
  }, []);
  return state;
}

/** The configured server and an exam code from a `vakt://` link, also when one arrives later. */
export function useSignInDefaults(): SignInDefaults | null {
  const [defaults, setDefaults] = useState<SignInDefaults | null>(null);
  useEffect(() => {
    let pushed = false;
    const off = window.vakt.onEvent((event) => {
      if (event.type !== 'sign-in-defaults') return;
      pushed = true;
      setDefaults(event.defaults);
    });
    void window.vakt.getSignInDefaults({}).then((result) => {
      if (result.ok && !pushed) setDefaults(result.value);
    });
    return off;
  }, []);
  return defaults;
}

/** The signed-in exam and the answers so far, fetched once per sign-in. */
export function useExam(signedIn: boolean): ExamView | null {
  const [exam, setExam] = useState<ExamView | null>(null);
  useEffect(() => {
    if (!signedIn) {
      setExam(null);
      return;
    }
    let live = true;
    void window.vakt.getExam({}).then((result) => {
      if (live && result.ok) setExam(result.value);
    });
    return () => {
      live = false;
    };
  }, [signedIn]);
  return exam;
}

/** A value kept in localStorage (flags, text size): display preferences only, never answers. */
export function useStored<T>(key: string, initial: T): [T, (value: T) => void] {
  const [value, setValue] = useState<T>(() => {
    try {
      const saved = localStorage.getItem(key);
      return saved === null ? initial : (JSON.parse(saved) as T);
    } catch {
      return initial;
    }
  });
  const set = (next: T) => {
    setValue(next);
    try {
      localStorage.setItem(key, JSON.stringify(next));
    } catch {
      // Storage may be unavailable; the preference then lasts until the window closes.
    }
  };
  return [value, set];
}

export type { IpcError };
