import type { EventPayload } from '../../../common/events';

/** One piece of virtual machine evidence: where it came from, what it says, how much it weighs. */
export type VmFinding = EventPayload<'vm.evidence'>['findings'][number];

/** Evidence of a virtual machine, one implementation per OS; findings, never a bare yes/no. */
export interface VmEvidence {
  findings(): Promise<VmFinding[]>;
}

/** Runs a command and returns its standard output, or null when it is absent or fails. */
export type CommandRunner = (command: string, args: string[]) => Promise<string | null>;

/** Firmware and hardware strings hypervisors put in DMI/SMBIOS, and what they mean. */
const HYPERVISOR_STRINGS: [RegExp, string][] = [
  [/\bQEMU\b/i, 'QEMU/KVM'],
  [/\bKVM\b/, 'KVM'],
  [/\bBochs\b/i, 'Bochs'],
  [/VirtualBox|innotek/i, 'VirtualBox'],
  [/VMware/i, 'VMware'],
  [/\bXen\b|HVM domU/i, 'Xen'],
  [/Parallels/i, 'Parallels'],
  [/BHYVE/i, 'bhyve'],
  [/Amazon EC2/i, 'Amazon EC2'],
  [/Google Compute Engine/i, 'Google Compute Engine'],
  [/VirtualMac/i, 'Apple Virtualization'],
];

/** The hypervisor a firmware string names, or null. */
export function hypervisorIn(text: string): string | null {
  for (const [pattern, name] of HYPERVISOR_STRINGS) if (pattern.test(text)) return name;
  return null;
}

/**
 * Hyper-V guests report "Microsoft Corporation" / "Virtual Machine"; Surface laptops report
 * "Microsoft Corporation" too, so the maker alone is not evidence.
 */
export function isHyperVModel(vendor: string, model: string): boolean {
  return /Microsoft Corporation/i.test(vendor) && /^Virtual Machine$/i.test(model.trim());
}

/** Processes of hypervisor guest tools (they run inside a guest, not on a host). */
export const GUEST_TOOL_PROCESSES: Record<string, string> = {
  vboxservice: 'VirtualBox Guest Additions',
  vboxclient: 'VirtualBox Guest Additions',
  vboxtray: 'VirtualBox Guest Additions',
  vmtoolsd: 'VMware Tools',
  'vmware-vmblock-fuse': 'VMware Tools',
  'qemu-ga': 'QEMU guest agent',
  'spice-vdagent': 'SPICE guest agent',
  'spice-vdagentd': 'SPICE guest agent',
  vdagent: 'SPICE guest agent',
  hv_kvp_daemon: 'Hyper-V guest services',
  hv_vss_daemon: 'Hyper-V guest services',
  prltoolsd: 'Parallels Tools',
  prl_tools: 'Parallels Tools',
  prl_cc: 'Parallels Tools',
};

/** Guest tools among running process names (".exe" ignored). */
export function guestToolFindings(processNames: readonly string[]): VmFinding[] {
  const found = new Set<string>();
  for (const name of processNames) {
    const tool = GUEST_TOOL_PROCESSES[name.toLowerCase().replace(/\.exe$/, '')];
    if (tool) found.add(`${tool} (${name})`);
  }
  return [...found].map((evidence) => ({
    source: 'guest-tools',
    evidence: `guest tools running: ${evidence}`,
    confidence: 'medium',
  }));
}
