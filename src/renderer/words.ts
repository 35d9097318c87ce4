import type { TFunction } from 'i18next';

import type { IpcError } from '../common/ipc';
import type { Problem } from '../common/problems';

/** An IPC error in the candidate's language; a code without words still says what it is. */
export function errorWords(t: TFunction, error: IpcError): string {
  const key = `errors.${error.code}`;
  const params =
    error.code === 'too-many-attempts'
      ? { ...error.params, count: Number(error.params.retryAfterSeconds ?? 0) }
      : error.params;
  return t([key, 'errors.unknown'], {
    ...params,
    code: error.code,
  });
}

/** A problem from the pushed state, in the candidate's language. */
export function problemWords(t: TFunction, problem: Problem): string {
  return t(`problems.${problem.code}`, problem.params);
}
