import semver from 'semver';

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
