import { readFile, stat } from 'node:fs/promises';

import { runSystemProgram, SYSTEM_PROGRAMS } from '../system-programs';

import { LinuxManagedSource } from './linux-source';
import { MacManagedSource } from './macos-source';
import type { ManagedSource, StatPort } from './managed-source';
import { WindowsManagedSource } from './windows-source';

const statOf: StatPort = async (path) => {
  try {
    const info = await stat(path);
    return { uid: info.uid, mode: info.mode };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
};

/**
 * Where this OS keeps the managed settings (as Bitwarden picks its managed settings source).
 * On Windows the registry is read by reg.exe from the system folder, never one found on PATH
 * or in the working folder: a student's own reg.exe could claim another server.
 */
export function managedSourceFor(
  platform: NodeJS.Platform,
  run: typeof runSystemProgram = runSystemProgram,
): ManagedSource {
  if (platform === 'win32') {
    return new WindowsManagedSource((key) => run(SYSTEM_PROGRAMS.reg, ['query', key, '/reg:64']));
  }
  if (platform === 'darwin') return new MacManagedSource(statOf, (path) => readFile(path));
  return new LinuxManagedSource(statOf, (path) => readFile(path, 'utf8'));
}
