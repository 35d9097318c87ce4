import { sep } from 'node:path';

/**
 * Whether Vakt was installed for every user of the machine (by IT: NSIS/MSI per-machine into
 * Program Files, the PKG into /Applications, the deb into /opt), not into one user's profile.
 * Per-machine installs are updated by whoever installed them unless the settings say otherwise.
 */
export function isPerMachineInstall(
  exePath: string,
  platform: NodeJS.Platform,
  env: Readonly<Record<string, string | undefined>>,
): boolean {
  if (platform === 'win32') {
    const roots = [env.ProgramFiles, env['ProgramFiles(x86)'], env.ProgramW6432]
      .filter((root): root is string => Boolean(root))
      .map((root) => root.toLowerCase().replace(/[\\/]+$/, '') + '\\');
    return roots.some((root) => exePath.toLowerCase().startsWith(root));
  }
  if (platform === 'darwin') return exePath.startsWith('/Applications/');
  return exePath.startsWith(`${sep}opt${sep}`) || exePath.startsWith('/usr/');
}
