import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * The programs Vakt asks about the computer, by the full path the OS installs them at: never
 * looked up on PATH or in the working folder, where a candidate could put one of their own
 * (on Windows the working folder is searched first). On Windows the system folder is the
 * one Windows installs to; Vakt does not read it from the environment either.
 */
const SYSTEM32 = 'C:\\Windows\\System32';

export const SYSTEM_PROGRAMS = {
  reg: `${SYSTEM32}\\reg.exe`,
  powershell: `${SYSTEM32}\\WindowsPowerShell\\v1.0\\powershell.exe`,
  pmset: '/usr/bin/pmset',
  sysctl: '/usr/sbin/sysctl',
  /** systemd installs it in /usr/bin (merged /usr) or /bin. */
  systemdDetectVirt: ['/usr/bin/systemd-detect-virt', '/bin/systemd-detect-virt'].find((path) =>
    existsSync(path),
  ),
} as const;

export interface ProgramOutput {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a system program (a full path) with a clean environment and a fixed working folder, so
 * nothing of the candidate's shell — PATH, loader variables, a folder of their own — reaches
 * it. Never throws: a program that is missing, fails or takes too long has a non-zero code.
 */
export function runSystemProgram(
  file: string,
  args: readonly string[],
  timeoutMs = 10_000,
): Promise<ProgramOutput> {
  const windows = process.platform === 'win32';
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      {
        timeout: timeoutMs,
        windowsHide: true,
        cwd: windows ? SYSTEM32 : '/',
        // Windows programs need to know where Windows is; PowerShell looks for modules only in
        // the system's (by default a user's own Documents folder comes first, where a module of
        // a candidate's could stand in for Get-CimInstance). Nothing else is passed on.
        env: windows
          ? {
              SystemRoot: 'C:\\Windows',
              windir: 'C:\\Windows',
              PSModulePath: `${SYSTEM32}\\WindowsPowerShell\\v1.0\\Modules`,
            }
          : { LC_ALL: 'C' },
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code) || 1 : 0, stdout, stderr }),
    );
  });
}
