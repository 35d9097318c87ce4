import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { truncateText } from '../../../common/well-formed';
import { SYSTEM_PROGRAMS } from '../../system-programs';

import {
  guestToolFindings,
  hypervisorIn,
  isHyperVModel,
  type CommandRunner,
  type VmEvidence,
  type VmFinding,
} from './findings';

/** Organisationally unique identifiers hypervisors give their virtual network adapters. */
const MAC_PREFIXES: Record<string, string> = {
  '08:00:27': 'VirtualBox',
  '00:05:69': 'VMware',
  '00:0c:29': 'VMware',
  '00:1c:14': 'VMware',
  '00:50:56': 'VMware',
  '00:15:5d': 'Hyper-V',
  '52:54:00': 'QEMU/KVM',
  '00:1c:42': 'Parallels',
  '00:16:3e': 'Xen',
};

const DMI_FIELDS = ['sys_vendor', 'product_name', 'product_version', 'board_vendor', 'bios_vendor'];

export interface LinuxVmEvidenceOptions {
  /** The file-system root: '/' in production, a fixture tree in tests. */
  root?: string;
  run?: CommandRunner;
  /** systemd-detect-virt's full path (default: where systemd installs it, if it does). */
  detectVirt?: string;
  processNames?: () => Promise<string[]>;
}

/**
 * Linux: DMI strings, the CPU's hypervisor flag, systemd-detect-virt where present, container
 * markers, hypervisor MAC prefixes of physical adapters, guest-tool processes. Each finding
 * carries its raw evidence (never a full MAC address: only its maker's prefix).
 */
export class LinuxVmEvidence implements VmEvidence {
  private readonly root: string;

  constructor(private readonly options: LinuxVmEvidenceOptions = {}) {
    this.root = options.root ?? '/';
  }

  async findings(): Promise<VmFinding[]> {
    return [
      ...this.dmi(),
      ...this.cpuFlag(),
      ...(await this.detectVirt()),
      ...this.container(),
      ...this.macPrefixes(),
      ...guestToolFindings((await this.options.processNames?.()) ?? []),
    ];
  }

  private read(path: string): string | null {
    try {
      return readFileSync(join(this.root, path), 'utf8').trim();
    } catch {
      return null;
    }
  }

  private dmi(): VmFinding[] {
    const values = Object.fromEntries(
      DMI_FIELDS.map((field) => [field, this.read(`sys/class/dmi/id/${field}`) ?? '']),
    );
    if (isHyperVModel(values.sys_vendor!, values.product_name!)) {
      return [
        {
          source: 'dmi',
          evidence: 'sys_vendor=Microsoft Corporation, product_name=Virtual Machine (Hyper-V)',
          confidence: 'high',
        },
      ];
    }
    const findings: VmFinding[] = [];
    for (const field of DMI_FIELDS) {
      const hypervisor = hypervisorIn(values[field]!);
      if (hypervisor)
        findings.push({
          source: 'dmi',
          evidence: `${field}=${truncateText(values[field]!, 100)} (${hypervisor})`,
          confidence: 'high',
        });
    }
    return findings;
  }

  private cpuFlag(): VmFinding[] {
    const cpuinfo = this.read('proc/cpuinfo') ?? '';
    const flags = /^flags\s*:(.*)$/m.exec(cpuinfo)?.[1]?.split(/\s+/) ?? [];
    return flags.includes('hypervisor')
      ? [{ source: 'cpu', evidence: 'the CPU reports the hypervisor flag', confidence: 'medium' }]
      : [];
  }

  private async detectVirt(): Promise<VmFinding[]> {
    const run = this.options.run;
    if (!run) return [];
    const program = this.options.detectVirt ?? SYSTEM_PROGRAMS.systemdDetectVirt;
    if (!program) return [];
    const findings: VmFinding[] = [];
    const vm = (await run(program, ['--vm']))?.trim();
    if (vm && vm !== 'none')
      findings.push({ source: 'systemd-detect-virt', evidence: `--vm: ${vm}`, confidence: 'high' });
    const container = (await run(program, ['--container']))?.trim();
    if (container && container !== 'none')
      findings.push({
        source: 'systemd-detect-virt',
        evidence: `--container: ${container}`,
        confidence: 'medium',
      });
    return findings;
  }

  private container(): VmFinding[] {
    const markers: string[] = [];
    if (existsSync(join(this.root, '.dockerenv'))) markers.push('/.dockerenv exists');
    if (existsSync(join(this.root, 'run/.containerenv'))) markers.push('/run/.containerenv exists');
    const cgroup = this.read('proc/1/cgroup') ?? '';
    const runtime = /docker|kubepods|containerd|lxc|libpod/.exec(cgroup)?.[0];
    if (runtime) markers.push(`PID 1's cgroup names ${runtime}`);
    return markers.map((evidence) => ({ source: 'container', evidence, confidence: 'medium' }));
  }

  private macPrefixes(): VmFinding[] {
    const findings: VmFinding[] = [];
    let adapters: string[];
    try {
      adapters = readdirSync(join(this.root, 'sys/class/net'));
    } catch {
      return [];
    }
    for (const adapter of adapters) {
      // Only adapters with a device: a host's own virtual bridges (virbr0, vboxnet0) have none.
      if (!existsSync(join(this.root, 'sys/class/net', adapter, 'device'))) continue;
      const prefix = (this.read(`sys/class/net/${adapter}/address`) ?? '')
        .slice(0, 8)
        .toLowerCase();
      const maker = MAC_PREFIXES[prefix];
      if (maker)
        findings.push({
          source: 'mac-prefix',
          evidence: `${adapter} has a ${maker} address prefix (${prefix})`,
          confidence: 'low',
        });
    }
    return findings;
  }
}
