import { useEffect, useState } from 'react';

import type {
  ClientState,
  ExamView,
  IpcError,
  IpcResult,
  PushEvent,
  SignInDefaults,
} from '../common/ipc';

/**
 * A value main pushes, starting from what `fetch` answers now; a push that arrives before the
 * answer is newer than it.
 */
function usePushed<T>(
  pick: (event: PushEvent) => T | undefined,
  fetch: () => Promise<IpcResult<T>>,
): T | null {
  const [value, setValue] = useState<T | null>(null);
  useEffect(() => {
    let pushed = false;
    const off = window.vakt.onEvent((event) => {
      const picked = pick(event);
      if (picked === undefined) return;
      pushed = true;
      setValue(picked);
    });
    void fetch().then((result) => {
      if (result.ok && !pushed) setValue(result.value);
    });
    return off;
    // Once per component: `pick` and `fetch` are the same for the life of the one that asks.
  }, []);
  return value;
}

/** The state main pushes, starting from what it has now. */
export function useClientState(): ClientState | null {
  return usePushed(
    (event) => (event.type === 'state' ? event.state : undefined),
    () => window.vakt.getState({}),
  );
}

/** The configured server and an exam code from a `vakt://` link, also when one arrives later. */
export function useSignInDefaults(): SignInDefaults | null {
  return usePushed(
    (event) => (event.type === 'sign-in-defaults' ? event.defaults : undefined),
    () => window.vakt.getSignInDefaults({}),
  );
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
