import { execFile } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';

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

/** Where this OS keeps the managed settings (as Bitwarden picks its managed settings source). */
export function managedSourceFor(platform: NodeJS.Platform): ManagedSource {
  if (platform === 'win32') {
    return new WindowsManagedSource(
      (key) =>
        new Promise((resolve) => {
          execFile('reg', ['query', key, '/reg:64'], { windowsHide: true }, (error, out, err) =>
            resolve({ code: error ? Number(error.code ?? 1) : 0, stdout: out, stderr: err }),
          );
        }),
    );
  }
  if (platform === 'darwin') return new MacManagedSource(statOf, (path) => readFile(path));
  return new LinuxManagedSource(statOf, (path) => readFile(path, 'utf8'));
}
