import { SYSTEM_PROGRAMS } from '../../system-programs';

import {
  guestToolFindings,
  hypervisorIn,
  isHyperVModel,
  type CommandRunner,
  type VmEvidence,
  type VmFinding,
} from './findings';

/** What Win32_ComputerSystem and Win32_BIOS say (Microsoft Learn, CIM classes). */
export interface WindowsSystemInfo {
  Manufacturer?: string;
  Model?: string;
  HypervisorPresent?: boolean;
  BiosManufacturer?: string;
  BiosVersion?: string;
  SerialNumber?: string;
}

const QUERY =
  '$c = CimCmdlets\\Get-CimInstance Win32_ComputerSystem; $b = CimCmdlets\\Get-CimInstance Win32_BIOS; ' +
  '[pscustomobject]@{ Manufacturer = $c.Manufacturer; Model = $c.Model; ' +
  'HypervisorPresent = $c.HypervisorPresent; BiosManufacturer = $b.Manufacturer; ' +
  'BiosVersion = $b.SMBIOSBIOSVersion; SerialNumber = $b.SerialNumber } | Microsoft.PowerShell.Utility\\ConvertTo-Json -Compress';

/** Findings from the CIM classes Windows documents, and guest-tool processes. */
export function windowsFindings(
  info: WindowsSystemInfo,
  processNames: readonly string[],
): VmFinding[] {
  const findings: VmFinding[] = [];
  const maker = info.Manufacturer ?? '';
  const model = info.Model ?? '';
  if (isHyperVModel(maker, model)) {
    findings.push({
      source: 'Win32_ComputerSystem',
      evidence: `${maker} / ${model} (Hyper-V)`,
      confidence: 'high',
    });
  } else {
    const hypervisor = hypervisorIn(`${maker} ${model}`);
    if (hypervisor)
      findings.push({
        source: 'Win32_ComputerSystem',
        evidence: `${maker} / ${model} (${hypervisor})`,
        confidence: 'high',
      });
  }
  for (const [field, value] of [
    ['BIOS manufacturer', info.BiosManufacturer],
    ['BIOS version', info.BiosVersion],
    ['BIOS serial number', info.SerialNumber?.slice(0, 12)],
  ] as const) {
    const hypervisor = value ? hypervisorIn(value) : null;
    if (hypervisor)
      findings.push({
        source: 'Win32_BIOS',
        evidence: `${field} ${value!} (${hypervisor})`,
        confidence: 'high',
      });
  }
  if (info.HypervisorPresent && findings.length === 0) {
    // Also true on a physical PC with Hyper-V, WSL 2 or virtualisation-based security on.
    findings.push({
      source: 'Win32_ComputerSystem',
      evidence: 'HypervisorPresent is true (also on physical PCs using Hyper-V, WSL 2 or VBS)',
      confidence: 'low',
    });
  }
  return [...findings, ...guestToolFindings(processNames)];
}

export class WindowsVmEvidence implements VmEvidence {
  constructor(
    private readonly run: CommandRunner,
    private readonly processNames: () => Promise<string[]>,
  ) {}

  async findings(): Promise<VmFinding[]> {
    const output = await this.run(SYSTEM_PROGRAMS.powershell, [
      '-NoProfile',
      '-NonInteractive',
      '-Command',
      QUERY,
    ]);
    let info: WindowsSystemInfo = {};
    try {
      info = output ? (JSON.parse(output) as WindowsSystemInfo) : {};
    } catch {
      // No usable answer: the other evidence still counts.
    }
    return windowsFindings(info, await this.processNames());
  }
}
