import { dirname } from 'node:path';

import {
  ManagedSettingsError,
  requireAdminOnly,
  type ManagedRead,
  type ManagedSource,
  type StatPort,
} from './managed-source';

export const LINUX_POLICY_PATH = '/etc/vakt/policy.json';

/** /etc/vakt/policy.json, owned by root and writable by no one else (folder too). */
export class LinuxManagedSource implements ManagedSource {
  constructor(
    private readonly stat: StatPort,
    private readonly readFile: (path: string) => Promise<string>,
    private readonly path = LINUX_POLICY_PATH,
  ) {}

  async read(): Promise<ManagedRead> {
    const source = this.path;
    if (!(await requireAdminOnly(this.stat, this.path, source))) return { source, values: null };
    await requireAdminOnly(this.stat, dirname(this.path), source);
    let parsed: unknown;
    try {
      parsed = JSON.parse(await this.readFile(this.path));
    } catch (error) {
      throw new ManagedSettingsError(
        source,
        null,
        `is not valid JSON (${error instanceof Error ? error.message : String(error)})`,
      );
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new ManagedSettingsError(source, null, 'must hold one JSON object of settings');
    }
    return { source, values: parsed as Record<string, unknown> };
  }
}
