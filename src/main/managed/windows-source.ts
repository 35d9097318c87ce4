import { ManagedSettingsError, type ManagedRead, type ManagedSource } from './managed-source';

export const WINDOWS_POLICY_KEY = 'HKLM\\SOFTWARE\\Policies\\Vakt';

/** `reg query <key> /reg:64`: its output and exit code (1 when the key does not exist). */
export type RegQuery = (key: string) => Promise<{ code: number; stdout: string; stderr: string }>;

/**
 * HKLM\SOFTWARE\Policies\Vakt in the 64-bit view (Group Policy and Intune write there; only
 * administrators can), read with reg.exe: REG_SZ, REG_EXPAND_SZ, REG_MULTI_SZ and REG_DWORD.
 */
export class WindowsManagedSource implements ManagedSource {
  constructor(private readonly query: RegQuery) {}

  async read(): Promise<ManagedRead> {
    const source = WINDOWS_POLICY_KEY;
    const result = await this.query(WINDOWS_POLICY_KEY);
    if (result.code !== 0) {
      if (/unable to find/i.test(result.stderr + result.stdout)) return { source, values: null };
      throw new ManagedSettingsError(source, null, `reg query failed: ${result.stderr.trim()}`);
    }
    return { source, values: parseRegQuery(result.stdout, source) };
  }
}

/** The values of one key in `reg query` output (sub-keys are not read). */
export function parseRegQuery(stdout: string, source: string): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const line of stdout.split(/\r?\n/)) {
    const match = /^ {4}(\S(?:.*?\S)?) {4}(REG_[A-Z_]+)(?: {4}(.*))?$/.exec(line);
    if (!match) continue;
    const [, name, type, raw = ''] = match as unknown as [string, string, string, string?];
    switch (type) {
      case 'REG_SZ':
      case 'REG_EXPAND_SZ':
        values[name] = raw;
        break;
      case 'REG_MULTI_SZ':
        values[name] = raw.split('\\0').filter((part) => part !== '');
        break;
      case 'REG_DWORD':
        values[name] = Number.parseInt(raw, 16);
        break;
      default:
        throw new ManagedSettingsError(source, name, `has type ${type}; use REG_SZ`);
    }
  }
  return values;
}
