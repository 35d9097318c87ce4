import { execFile } from 'node:child_process';

import type { CommandRunner, VmEvidence } from './findings';
import { LinuxVmEvidence } from './linux';
import { MacVmEvidence } from './macos';
import { WindowsVmEvidence } from './windows';

/** Runs a command with a time limit; null when it is absent, fails or takes too long. */
export const execRunner: CommandRunner = (command, args) =>
  new Promise((resolve) => {
    execFile(command, args, { timeout: 10_000, windowsHide: true }, (error, stdout) =>
      resolve(error ? null : stdout),
    );
  });

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
