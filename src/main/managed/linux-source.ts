import { dirname } from 'node:path';

import {
  parseSettingsFile,
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
    const text = await this.readFile(this.path);
    const values = parseSettingsFile(source, () => JSON.parse(text), {
      unreadable: 'is not valid JSON',
      notADictionary: 'must hold one JSON object of settings',
    });
    return { source, values };
  }
}
