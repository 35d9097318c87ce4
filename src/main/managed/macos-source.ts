import { parse, parseBinary } from 'plist';

import {
  parseSettingsFile,
  requireAdminOnly,
  type ManagedRead,
  type ManagedSource,
  type StatPort,
} from './managed-source';

export const MACOS_BUNDLE_ID = 'no.vakt.client';
export const MACOS_POLICY_PATH = `/Library/Managed Preferences/${MACOS_BUNDLE_ID}.plist`;

/**
 * The configuration profile's preferences as macOS installs them: a root-owned plist in
 * /Library/Managed Preferences, binary or XML. macOS's own bookkeeping keys are left out.
 */
export class MacManagedSource implements ManagedSource {
  constructor(
    private readonly stat: StatPort,
    private readonly readFile: (path: string) => Promise<Buffer>,
    private readonly path = MACOS_POLICY_PATH,
  ) {}

  async read(): Promise<ManagedRead> {
    const source = this.path;
    if (!(await requireAdminOnly(this.stat, this.path, source))) return { source, values: null };
    const bytes = await this.readFile(this.path);
    const parsed = parseSettingsFile(
      source,
      () =>
        bytes.subarray(0, 6).toString('latin1') === 'bplist'
          ? parseBinary(bytes)
          : parse(bytes.toString('utf8')),
      {
        unreadable: 'is not a readable property list',
        notADictionary: 'must hold a dictionary of settings',
      },
    );
    const values = Object.fromEntries(
      Object.entries(parsed).filter(([key]) => !/^(mcx_|Payload|PayloadContent$)/.test(key)),
    );
    return { source, values };
  }
}
