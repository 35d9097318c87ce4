import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { vmEvidenceFor, execRunner } from '../../src/main/monitor/vm';
import type { VmFinding } from '../../src/main/monitor/vm/findings';
import { LinuxVmEvidence } from '../../src/main/monitor/vm/linux';
import { macFindings } from '../../src/main/monitor/vm/macos';
import { windowsFindings } from '../../src/main/monitor/vm/windows';

/**
 * Virtual machine evidence from fixture trees of /sys and /proc as each hypervisor presents
 * them (and a container, a laptop, a Surface whose maker is "Microsoft Corporation"), plus the
 * documented Windows and macOS sources; then the real machine as a smoke test.
 */
const fixture = (name: string) =>
  new LinuxVmEvidence({ root: join(import.meta.dirname, '../fixtures/vm/linux', name) });
const brief = (findings: VmFinding[]) =>
  findings.map(({ source, confidence, evidence }) => `${confidence} ${source}: ${evidence}`);

describe('Linux virtual machine evidence', () => {
  it.each([
    [
      'kvm',
      [
        'high dmi: sys_vendor=QEMU (QEMU/KVM)',
        'medium cpu: the CPU reports the hypervisor flag',
        'low mac-prefix: enp1s0 has a QEMU/KVM address prefix (52:54:00)',
      ],
    ],
    [
      'virtualbox',
      [
        'high dmi: sys_vendor=innotek GmbH (VirtualBox)',
        'high dmi: product_name=VirtualBox (VirtualBox)',
        'high dmi: bios_vendor=innotek GmbH (VirtualBox)',
        'medium cpu: the CPU reports the hypervisor flag',
        'low mac-prefix: enp0s3 has a VirtualBox address prefix (08:00:27)',
      ],
    ],
    [
      'vmware',
      [
        'high dmi: sys_vendor=VMware, Inc. (VMware)',
        'high dmi: product_name=VMware20,1 (VMware)',
        'high dmi: bios_vendor=VMware, Inc. (VMware)',
        'medium cpu: the CPU reports the hypervisor flag',
        'low mac-prefix: ens33 has a VMware address prefix (00:0c:29)',
      ],
    ],
    [
      'hyperv',
      [
        'high dmi: sys_vendor=Microsoft Corporation, product_name=Virtual Machine (Hyper-V)',
        'medium cpu: the CPU reports the hypervisor flag',
        'low mac-prefix: eth0 has a Hyper-V address prefix (00:15:5d)',
      ],
    ],
    [
      'container',
      ['medium container: /.dockerenv exists', "medium container: PID 1's cgroup names docker"],
    ],
    // A laptop running KVM itself: its own bridge (virbr0) has QEMU's prefix but no device.
    ['bare-metal', []],
    // Surface laptops say "Microsoft Corporation" too: not evidence.
    ['surface', []],
  ])('%s', async (name, expected) => {
    expect(brief(await fixture(name).findings())).toEqual(expected);
  });

  it('adds systemd-detect-virt and guest-tool processes where they answer', async () => {
    const evidence = new LinuxVmEvidence({
      root: join(import.meta.dirname, '../fixtures/vm/linux/bare-metal'),
      run: (_command, args) => Promise.resolve(args[0] === '--vm' ? 'oracle\n' : 'none\n'),
      detectVirt: '/usr/bin/systemd-detect-virt',
      processNames: () => Promise.resolve(['bash', 'VBoxService', 'VBoxClient']),
    });
    expect(brief(await evidence.findings())).toEqual([
      'high systemd-detect-virt: --vm: oracle',
      'medium guest-tools: guest tools running: VirtualBox Guest Additions (VBoxService)',
      'medium guest-tools: guest tools running: VirtualBox Guest Additions (VBoxClient)',
    ]);
  });
});

describe('Windows virtual machine evidence (Win32_ComputerSystem, Win32_BIOS)', () => {
  it.each([
    [
      'VirtualBox',
      {
        Manufacturer: 'innotek GmbH',
        Model: 'VirtualBox',
        HypervisorPresent: true,
        BiosVersion: 'VirtualBox',
        SerialNumber: '0',
      },
      [
        'high Win32_ComputerSystem: innotek GmbH / VirtualBox (VirtualBox)',
        'high Win32_BIOS: BIOS version VirtualBox (VirtualBox)',
      ],
    ],
    [
      'VMware',
      {
        Manufacturer: 'VMware, Inc.',
        Model: 'VMware7,1',
        HypervisorPresent: true,
        SerialNumber: 'VMware-56 4d 1a 2b 3c',
      },
      [
        'high Win32_ComputerSystem: VMware, Inc. / VMware7,1 (VMware)',
        'high Win32_BIOS: BIOS serial number VMware-56 4d (VMware)',
      ],
    ],
    [
      'Hyper-V',
      { Manufacturer: 'Microsoft Corporation', Model: 'Virtual Machine', HypervisorPresent: true },
      ['high Win32_ComputerSystem: Microsoft Corporation / Virtual Machine (Hyper-V)'],
    ],
    [
      'a laptop with WSL 2 (hypervisor present, nothing else)',
      {
        Manufacturer: 'Dell Inc.',
        Model: 'Latitude 7440',
        HypervisorPresent: true,
        BiosManufacturer: 'Dell Inc.',
      },
      [
        'low Win32_ComputerSystem: HypervisorPresent is true (also on physical PCs using Hyper-V, WSL 2 or VBS)',
      ],
    ],
    ['a laptop', { Manufacturer: 'LENOVO', Model: '21CB0047MX', HypervisorPresent: false }, []],
  ])('%s', (_name, info, expected) => {
    expect(brief(windowsFindings(info, []))).toEqual(expected);
  });

  it('recognises guest tools among running processes', () => {
    expect(brief(windowsFindings({}, ['explorer.exe', 'vmtoolsd.exe']))).toEqual([
      'medium guest-tools: guest tools running: VMware Tools (vmtoolsd.exe)',
    ]);
  });
});

describe('macOS virtual machine evidence (sysctl)', () => {
  it.each([
    [
      'an Apple silicon guest',
      { hvVmmPresent: '1', cpuFeatures: null, model: 'VirtualMac2,1' },
      [
        'high sysctl: kern.hv_vmm_present = 1',
        'high sysctl: hw.model = VirtualMac2,1 (Apple Virtualization)',
      ],
    ],
    [
      'an Intel guest on VMware',
      { hvVmmPresent: '1', cpuFeatures: 'FPU VME DE PSE TSC MSR PAE VMM SSE3', model: 'VMware7,1' },
      [
        'high sysctl: kern.hv_vmm_present = 1',
        'high sysctl: hw.model = VMware7,1 (VMware)',
        'medium sysctl: machdep.cpu.features lists VMM',
      ],
    ],
    ['a MacBook', { hvVmmPresent: '0', cpuFeatures: null, model: 'Mac14,2' }, []],
  ])('%s', (_name, values, expected) => {
    expect(brief(macFindings(values, []))).toEqual(expected);
  });
});

describe('this machine', () => {
  it('gives findings of the documented shape (smoke test)', async () => {
    const findings = await vmEvidenceFor(
      process.platform,
      () => Promise.resolve([]),
      execRunner,
    ).findings();
    console.log(`VM evidence on this machine: ${JSON.stringify(brief(findings))}`);
    for (const finding of findings) {
      expect(finding.source.length).toBeGreaterThan(0);
      expect(['low', 'medium', 'high']).toContain(finding.confidence);
      expect(finding.evidence).not.toMatch(/([0-9a-f]{2}:){5}[0-9a-f]{2}/i);
    }
  });
});
