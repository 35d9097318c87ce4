import semver from 'semver';

import { RefusalError } from '../errors';

/**
 * Whether a client is older than the minimum the server accepts, by semantic-versioning rules
 * (`semver`): a pre-release comes before its release, so 1.0.0-beta.1 does not pass a 1.0.0
 * minimum. A version that is not semantic at all counts as too old.
 */
export function isOlderThan(clientVersion: string, minimum: string): boolean {
  const client = semver.valid(clientVersion);
  if (!client) return true;
  return semver.lt(client, minimum);
}

/** The stricter of the server's minimum and the exam's own, if it names one. */
export function minimumFor(serverMinimum: string, examMinimum: string | null): string {
  if (!examMinimum) return serverMinimum;
  return semver.gt(examMinimum, serverMinimum) ? examMinimum : serverMinimum;
}

/** The refusal a client older than `minimum` gets: it says which version to ask for. */
export function refuseIfOlder(clientVersion: string, minimum: string): void {
  if (!isOlderThan(clientVersion, minimum)) return;
  throw new RefusalError({
    code: 'client-too-old',
    minimumVersion: minimum,
    message: `This version of Vakt is too old: update to ${minimum} or newer.`,
  });
}
