import { runSystemProgram } from '../../system-programs';

import type { CommandRunner, VmEvidence } from './findings';
import { LinuxVmEvidence } from './linux';
import { MacVmEvidence } from './macos';
import { WindowsVmEvidence } from './windows';

/**
 * Runs a system program (by its full path, clean environment) with a time limit; null when it
 * is absent, fails or takes too long.
 */
export const execRunner: CommandRunner = async (command, args) => {
  const output = await runSystemProgram(command, args);
  return output.code === 0 ? output.stdout : null;
};

/** The virtual machine evidence for this OS. */
export function vmEvidenceFor(
  platform: NodeJS.Platform,
  processNames: () => Promise<string[]>,
  run: CommandRunner = execRunner,
): VmEvidence {
  switch (platform) {
    case 'win32':
      return new WindowsVmEvidence(run, processNames);
    case 'darwin':
      return new MacVmEvidence(run, processNames);
    default:
      return new LinuxVmEvidence({ run, processNames });
  }
}
