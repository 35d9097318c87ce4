import type { z } from 'zod';

import {
  APP_ORIGIN,
  IPC_CHANNELS,
  type IpcMethod,
  type IpcResult,
  type IpcValue,
} from '../common/ipc';
import type { ProblemParams } from '../common/problems';
import { describeIssues } from '../common/validation';

/** The handlers main implements: one per IPC method, given an already-validated request. */
export type IpcHandlers = {
  [M in IpcMethod]: (
    request: z.output<(typeof IPC_CHANNELS)[M]['request']>,
  ) => Promise<IpcValue<M>> | IpcValue<M>;
};

/**
 * An error meant for the renderer (and so the candidate): a code and its parameters, which the
 * renderer puts into words. Services throw their own domain errors; the IPC layer maps them.
 */
export class IpcFailure extends Error {
  constructor(
    readonly code: string,
    readonly params: ProblemParams = {},
  ) {
    super(`${code}${Object.keys(params).length > 0 ? ` ${JSON.stringify(params)}` : ''}`);
    this.name = 'IpcFailure';
  }
}

/** True only for our own window's frame at app://vakt/. */
export function isTrustedSender(frameUrl: string | undefined): boolean {
  if (!frameUrl) return false;
  try {
    const url = new URL(frameUrl);
    return `${url.protocol}//${url.host}` === APP_ORIGIN;
  } catch {
    return false;
  }
}

/**
 * Wraps `handler` for one channel: refuses callers outside app://vakt, validates the request
 * with the shared schema, and turns every outcome into an IpcResult (Electron would drop the
 * fields of a thrown error). Unexpected errors are reported to `onUnexpected`, not leaked.
 */
export function dispatcherFor<M extends IpcMethod>(
  method: M,
  handlers: IpcHandlers,
  onUnexpected: (method: IpcMethod, error: unknown) => void,
): (frameUrl: string | undefined, request: unknown) => Promise<IpcResult<IpcValue<M>>> {
  const { request: schema } = IPC_CHANNELS[method];
  return async (frameUrl, request) => {
    if (!isTrustedSender(frameUrl)) {
      return { ok: false, error: { code: 'forbidden', params: {} } };
    }
    const parsed = schema.safeParse(request ?? {});
    if (!parsed.success) {
      const detail = describeIssues(parsed.error, 'request').join('; ').slice(0, 200);
      return { ok: false, error: { code: 'invalid-request', params: { detail } } };
    }
    try {
      const handler = handlers[method] as (r: unknown) => Promise<IpcValue<M>> | IpcValue<M>;
      return { ok: true, value: await handler(parsed.data) };
    } catch (error) {
      if (error instanceof IpcFailure) {
        return { ok: false, error: { code: error.code, params: error.params } };
      }
      onUnexpected(method, error);
      return { ok: false, error: { code: 'internal', params: {} } };
    }
  };
}
