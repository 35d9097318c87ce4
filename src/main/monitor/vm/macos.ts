import { SYSTEM_PROGRAMS } from '../../system-programs';

import {
  guestToolFindings,
  hypervisorIn,
  type CommandRunner,
  type VmEvidence,
  type VmFinding,
} from './findings';

/** The sysctl values macOS documents for this (Apple: kern.hv_vmm_present, hw.model). */
export interface MacSysctls {
  hvVmmPresent: string | null;
  cpuFeatures: string | null;
  model: string | null;
}

export function macFindings(values: MacSysctls, processNames: readonly string[]): VmFinding[] {
  const findings: VmFinding[] = [];
  if (values.hvVmmPresent?.trim() === '1')
    findings.push({ source: 'sysctl', evidence: 'kern.hv_vmm_present = 1', confidence: 'high' });
  const hypervisor = values.model ? hypervisorIn(values.model) : null;
  if (hypervisor)
    findings.push({
      source: 'sysctl',
      evidence: `hw.model = ${values.model!.trim()} (${hypervisor})`,
      confidence: 'high',
    });
  if (values.cpuFeatures && /\bVMM\b/.test(values.cpuFeatures))
    findings.push({
      source: 'sysctl',
      evidence: 'machdep.cpu.features lists VMM',
      confidence: 'medium',
    });
  return [...findings, ...guestToolFindings(processNames)];
}

export class MacVmEvidence implements VmEvidence {
  constructor(
    private readonly run: CommandRunner,
    private readonly processNames: () => Promise<string[]>,
  ) {}

  async findings(): Promise<VmFinding[]> {
    const sysctl = (name: string) => this.run(SYSTEM_PROGRAMS.sysctl, ['-n', name]);
    return macFindings(
      {
        hvVmmPresent: await sysctl('kern.hv_vmm_present'),
        cpuFeatures: await sysctl('machdep.cpu.features'),
        model: await sysctl('hw.model'),
      },
      await this.processNames(),
    );
  }
}
