import type { Battery, Device } from '../../common/device';
import { runSystemProgram, SYSTEM_PROGRAMS } from '../system-programs';

import { readLinuxDevice } from './device-reader';

/** Windows: the battery through CIM (WMI), module-qualified (system-programs.ts). */
const BATTERY_QUERY =
  'CimCmdlets\\Get-CimInstance -ClassName Win32_Battery | Microsoft.PowerShell.Utility\\Select-Object -First 1 EstimatedChargeRemaining,BatteryStatus | Microsoft.PowerShell.Utility\\ConvertTo-Json -Compress';

/** Runs a program by its full path and returns what it printed. */
export type Run = (file: string, args: readonly string[]) => Promise<string>;

const run: Run = async (file, args) => {
  const output = await runSystemProgram(file, args);
  if (output.code !== 0) throw new Error(`${file} failed (${output.code})`);
  return output.stdout;
};

/**
 * `pmset -g batt`: the internal battery's percent and whether it charges ("charging",
 * "charged", "finishing charge", or on AC power), e.g.
 * ` -InternalBattery-0 (id=4653155)	85%; discharging; 3:12 remaining present: true`.
 */
export function parsePmset(output: string): Battery | null {
  const line = output.split('\n').find((entry) => entry.includes('InternalBattery'));
  const match = line && /\t(\d{1,3})%;\s*([^;]+);/.exec(line);
  if (!match) return null;
  const level = Number(match[1]);
  if (level > 100) return null;
  const state = match[2]!.trim();
  const onAc = /'AC Power'/.test(output);
  return { level, charging: onAc || state === 'charging' || state === 'charged' };
}

/**
 * Win32_Battery as JSON: EstimatedChargeRemaining (percent) and BatteryStatus (1: discharging;
 * 2: on AC; 3: fully charged; 4–5 low or critical; 6–9 charging; 10 undefined; 11 partially
 * charged). Only AC and the charging states count as charging. Nothing printed: no battery.
 */
export function parseWin32Battery(output: string): Battery | null {
  let value: unknown;
  try {
    value = JSON.parse(output.trim() || 'null');
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const { EstimatedChargeRemaining: level, BatteryStatus: status } = value as Record<
    string,
    unknown
  >;
  if (typeof level !== 'number' || !Number.isInteger(level) || level < 0 || level > 100)
    return null;
  const charging = status === 2 || (typeof status === 'number' && status >= 6 && status <= 9);
  return { level, charging };
}

/**
 * How this OS's battery (and on Linux, network) is read; null where it cannot be. macOS and
 * Windows are asked through a system program (system-programs.ts); the network type is not
 * read there (null): it would take another program start every read.
 */
export function deviceReaderFor(platform: NodeJS.Platform, exec: Run = run) {
  switch (platform) {
    case 'linux':
      return () => readLinuxDevice();
    case 'darwin':
      return async (): Promise<Device> => ({
        battery: parsePmset(await exec(SYSTEM_PROGRAMS.pmset, ['-g', 'batt']).catch(() => '')),
        network: null,
      });
    case 'win32':
      return async (): Promise<Device> => ({
        battery: parseWin32Battery(
          await exec(SYSTEM_PROGRAMS.powershell, [
            '-NoProfile',
            '-NonInteractive',
            '-Command',
            BATTERY_QUERY,
          ]).catch(() => ''),
        ),
        network: null,
      });
    default:
      return null;
  }
}
