import { MANAGED_SETTINGS, type ManagedKey } from '../../common/managed-settings';

/** What a managed-settings source found: where it looked, and the raw values (null: none). */
export interface ManagedRead {
  source: string;
  values: Record<string, unknown> | null;
}

/** One place an administrator sets Vakt's managed settings (one per OS). */
export interface ManagedSource {
  read(): Promise<ManagedRead>;
}

/**
 * The managed settings cannot be trusted or read: a file an ordinary user could have written, a
 * file that does not parse, a value of the wrong type. Vakt then fails closed and says which.
 */
export class ManagedSettingsError extends Error {
  override name = 'ManagedSettingsError';
  constructor(
    readonly source: string,
    readonly key: string | null,
    readonly detail: string,
  ) {
    super(`${source}${key ? ` (${key})` : ''}: ${detail}`);
  }
}

/** Owner and permission bits of a file, as `fs.stat` gives them; null when it does not exist. */
export type StatPort = (path: string) => Promise<{ uid: number; mode: number } | null>;

/**
 * Refuses a file (or folder) an ordinary user could have written: it must belong to root and
 * be writable by nobody else (no group or world write bit).
 */
export async function requireAdminOnly(stat: StatPort, path: string, source: string) {
  const info = await stat(path);
  if (!info) return false;
  if (info.uid !== 0) {
    throw new ManagedSettingsError(source, null, `${path} must belong to root (uid ${info.uid})`);
  }
  if ((info.mode & 0o022) !== 0) {
    throw new ManagedSettingsError(
      source,
      null,
      `${path} must not be writable by its group or others (mode ${(info.mode & 0o777).toString(8)})`,
    );
  }
  return true;
}

/**
 * The values in the schema's shapes: a list may be written as one text separated by commas
 * (a REG_SZ instead of a REG_MULTI_SZ); anything else is left for the schema to judge.
 */
export function normalise(values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    const known = Object.hasOwn(MANAGED_SETTINGS, key)
      ? MANAGED_SETTINGS[key as ManagedKey]
      : undefined;
    out[key] =
      known?.kind === 'list' && typeof value === 'string'
        ? value.split(/[\s,;]+/).filter((part) => part !== '')
        : value;
  }
  return out;
}

/**
 * Parses a settings file with `parse`, saying in IT's words what is wrong: `unreadable` when it
 * does not parse, `notADictionary` when it parses to something other than key-value pairs.
 */
export function parseSettingsFile(
  source: string,
  parse: () => unknown,
  words: { unreadable: string; notADictionary: string },
): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = parse();
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new ManagedSettingsError(source, null, `${words.unreadable} (${why})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ManagedSettingsError(source, null, words.notADictionary);
  }
  return parsed as Record<string, unknown>;
}
