import { describe, expect, it } from 'vitest';

import { examPolicySchema } from '../../common/policy';
import { systemTimers } from '../timers';

import { builtInCatalogue } from './catalogue-data';
import type { ScreenDisplay, ScreenPort } from './displays';
import { Monitoring } from './monitoring';
import { remoteSessions } from './remote-session';

/** A screen whose displays a test changes, firing Electron's events. */
class FakeScreen implements ScreenPort {
  private readonly listeners: (() => void)[] = [];
  constructor(public displays: ScreenDisplay[]) {}
  getAllDisplays = () => this.displays;
  on = (_event: string, listener: () => void) => this.listeners.push(listener);
  change(displays: ScreenDisplay[]) {
    this.displays = displays;
    this.listeners.forEach((listener) => listener());
  }
}

const laptop: ScreenDisplay = {
  internal: true,
  size: { width: 1920, height: 1200 },
  bounds: { x: 0, y: 0, width: 1920, height: 1200 },
};
const mirror: ScreenDisplay = { ...laptop, internal: false };

describe('monitoring', () => {
  it('journals what it finds at start and lists what blocks preflight', async () => {
    const recorded: { kind: string; payload: unknown }[] = [];
    const screen = new FakeScreen([laptop, mirror]);
    const monitoring = new Monitoring({
      policy: examPolicySchema.parse({ virtualMachine: { action: 'block' } }),
      catalogue: builtInCatalogue(),
      os: 'linux',
      source: {
        label: 'fake',
        list: () =>
          Promise.resolve([
            { pid: 10, name: 'Discord', uid: 1000 },
            { pid: 11, name: 'orca', uid: 1000 },
            { pid: 12, name: 'bash', uid: 1000 },
          ]),
      },
      readActive: () => Promise.resolve(null),
      screen,
      vm: {
        findings: () =>
          Promise.resolve([
            { source: 'dmi', evidence: 'sys_vendor=QEMU (QEMU/KVM)', confidence: 'high' as const },
          ]),
      },
      env: { SSH_CONNECTION: '203.0.113.9 52144 10.0.0.5 22', DISPLAY: ':0' },
      timers: systemTimers,
      mono: () => 0,
      record: (kind, payload) => recorded.push({ kind, payload }),
    });
    await monitoring.start();
    await monitoring.stop();

    expect(recorded.map((event) => event.kind).sort()).toEqual([
      'display.changed',
      'process.started',
      'remote-session.detected',
      'vm.evidence',
    ]);
    expect(JSON.stringify(recorded)).not.toContain('203.0.113.9');
    const report = monitoring.preflight();
    expect(report.programs).toEqual([
      { friendlyName: 'Discord', category: 'communication', action: 'flag', closable: true },
    ]);
    expect(report.displayProblems).toEqual([
      { code: 'too-many-displays', connected: 2, allowed: 1 },
      { code: 'mirrored' },
    ]);
    expect(report.vmBlocks).toBe(true);
    expect(report.remoteSessions.map((session) => session.via)).toEqual(['ssh']);
    expect(report.clear).toBe(false);

    // Unplugging the second display is journaled once; an unchanged set is not.
    screen.change([laptop]);
    screen.change([laptop]);
    const changes = recorded.filter((event) => event.kind === 'display.changed');
    expect(changes.at(-1)?.payload).toEqual({
      displays: [{ internal: true, width: 1920, height: 1200, mirrored: false }],
    });
    expect(changes).toHaveLength(2);
    expect(monitoring.preflight().displayProblems).toEqual([]);
  });
});

describe('a remote-access program running at the start', () => {
  it('is ended and journaled as such, never afterwards as a remote session still running', async () => {
    const recorded: { kind: string; payload: unknown }[] = [];
    let running = [{ pid: 20, name: 'x11vnc', uid: 1000 }];
    const monitoring = new Monitoring({
      policy: examPolicySchema.parse({}),
      catalogue: builtInCatalogue(),
      os: 'linux',
      source: { label: 'fake', list: () => Promise.resolve(running) },
      readActive: () => Promise.resolve(null),
      screen: null,
      vm: { findings: () => Promise.resolve([]) },
      env: { DISPLAY: ':0' },
      timers: systemTimers,
      mono: () => 0,
      record: (kind, payload) => recorded.push({ kind, payload }),
      terminate: async () => {
        // Ending takes a moment, as SIGTERM and the wait for exit do.
        await new Promise((resolve) => setTimeout(resolve, 20));
        running = [];
        return 'ended';
      },
    });
    await monitoring.start();
    await monitoring.stop();
    expect(recorded.map((entry) => entry.kind)).toEqual(['process.started', 'process.terminated']);
    // Preflight no longer lists it, without waiting for the next poll.
    expect(monitoring.preflight()).toMatchObject({ programs: [], remoteSessions: [], clear: true });
  });
});

describe('remote sessions', () => {
  it('recognises RDP, xrdp, SSH and remote-access programs, and nothing on a local session', () => {
    expect(remoteSessions('win32', { SESSIONNAME: 'RDP-Tcp#3' }, [])).toEqual([
      { via: 'rdp', detail: 'SESSIONNAME is RDP-Tcp#3' },
    ]);
    expect(remoteSessions('win32', { SESSIONNAME: 'Console' }, [])).toEqual([]);
    expect(remoteSessions('linux', { XRDP_SESSION: '1' }, [])).toEqual([
      { via: 'rdp', detail: 'XRDP_SESSION is set: an xrdp session' },
    ]);
    expect(remoteSessions('linux', { SSH_CLIENT: '198.51.100.4 50000 22' }, ['AnyDesk'])).toEqual([
      { via: 'ssh', detail: 'SSH_CLIENT set: the session was opened over SSH' },
      { via: 'remote-access-program', detail: 'AnyDesk is running', program: 'AnyDesk' },
    ]);
    expect(remoteSessions('darwin', {}, [])).toEqual([]);
  });
});
