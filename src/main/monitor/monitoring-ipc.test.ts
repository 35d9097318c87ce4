import { describe, expect, it, vi } from 'vitest';

import type { ExamPackage } from '../../common/api';
import { preflightReportSchema } from '../../common/ipc';
import { examPolicySchema, type ExamPolicyInput } from '../../common/policy';
import { signedOutState } from '../client-state';
import type { IpcHandlers } from '../ipc-dispatch';
import { systemTimers } from '../timers';

import { builtInCatalogue } from './catalogue-data';
import { ExamMonitors } from './exam-monitors';
import { Monitoring } from './monitoring';
import { withMonitoring } from './monitoring-ipc';

function setup(policy: ExamPolicyInput = {}) {
  let running = [{ pid: 4242, name: 'Discord', uid: 1000 }];
  const ended: number[][] = [];
  const monitoring = new Monitoring({
    policy: examPolicySchema.parse(policy),
    catalogue: builtInCatalogue(),
    os: 'linux',
    source: { label: 'fake', list: () => Promise.resolve(running) },
    readActive: () => Promise.resolve(null),
    screen: null,
    vm: { findings: () => Promise.resolve([]) },
    env: { DISPLAY: ':0' },
    timers: systemTimers,
    mono: () => 0,
    record: () => undefined,
    terminate: (pids) => {
      ended.push(pids);
      running = [];
      return Promise.resolve('ended');
    },
  });
  let started = 0;
  /** Whether an invigilator let the candidate start despite the checks. */
  const approval = { given: false };
  const base = {
    getState: () => ({ ...signedOutState(), startApproved: approval.given }),
    startExam: () => {
      started += 1;
      return signedOutState();
    },
  } as unknown as IpcHandlers;
  const journaled: { kind: string; payload: unknown }[] = [];
  const monitors = new ExamMonitors({
    examPackage: () => ({}) as ExamPackage,
    start: () => Promise.resolve(monitoring),
    record: (kind, payload) => {
      journaled.push({ kind, payload });
      return Promise.resolve();
    },
    logger: { warn: () => undefined },
  });
  monitors.follow('preflight');
  return {
    monitoring,
    ended,
    journaled,
    handlers: withMonitoring(base, monitors),
    base,
    approval,
    started: () => started,
  };
}

describe('preflight through IPC', () => {
  it('refuses to start while a program must be closed, and starts once it is closed', async () => {
    const { monitoring, ended, journaled, handlers, started } = setup();
    await monitoring.start();
    const report = preflightReportSchema.parse(await handlers.getPreflight({}));
    expect(report.programs.map((program) => program.friendlyName)).toEqual(['Discord']);
    expect(report.clear).toBe(false);
    // What blocks is journaled for the invigilator, once however often the screen asks.
    await handlers.getPreflight({});
    expect(journaled).toEqual([
      { kind: 'preflight.blocked', payload: { blockers: [{ code: 'program', name: 'Discord' }] } },
    ]);
    await expect(handlers.startExam({})).rejects.toMatchObject({
      code: 'preflight',
      params: { blockers: 1 },
    });
    expect(await handlers.closeProgram({ name: 'Discord' })).toEqual({ outcome: 'ended' });
    expect(ended).toEqual([[4242]]);
    await handlers.getPreflight({});
    expect(journaled.at(-1)).toEqual({ kind: 'preflight.blocked', payload: { blockers: [] } });
    await handlers.startExam({});
    expect(started()).toBe(1);
    await monitoring.stop();
  });

  it('offers no close button where the policy says the candidate may not close programs', async () => {
    const { monitoring, ended, handlers } = setup({ processes: { candidateMayClose: false } });
    await monitoring.start();
    expect(monitoring.preflight().programs[0]?.closable).toBe(false);
    expect(await handlers.closeProgram({ name: 'Discord' })).toEqual({ outcome: 'not-permitted' });
    expect(ended).toEqual([]);
    await monitoring.stop();
  });
});

describe('when the monitors cannot start', () => {
  it('journals why, refuses the start in words, and runs once they can', async () => {
    const { monitoring, base, approval, started } = setup();
    const recorded: { kind: string; payload: unknown }[] = [];
    let broken = true;
    const monitors = new ExamMonitors({
      examPackage: () => ({}) as ExamPackage,
      start: async () => {
        if (broken) throw new Error('ps-list: /proc is not readable');
        await monitoring.start();
        return monitoring;
      },
      record: (kind, payload) => {
        recorded.push({ kind, payload });
        return Promise.resolve();
      },
      logger: { warn: () => undefined },
    });
    const handlers = withMonitoring(base, monitors);
    // Not signed in yet: nothing was asked of the monitors.
    await expect(handlers.startExam({})).rejects.toMatchObject({ code: 'not-signed-in' });

    // Preflight begins: the monitors start with it, and the handlers wait for them.
    monitors.follow('preflight');
    await expect(handlers.startExam({})).rejects.toMatchObject({ code: 'monitoring-failed' });
    expect(monitors.failed).toBe('ps-list: /proc is not readable');
    expect(recorded).toEqual([
      { kind: 'monitoring.failed', payload: { reason: 'ps-list: /proc is not readable' } },
    ]);
    await expect(Promise.resolve().then(() => handlers.getPreflight({}))).rejects.toMatchObject({
      code: 'monitoring-failed',
    });
    // The invigilator lets the candidate start anyway: Start works, and only when pressed.
    expect(started()).toBe(0);
    approval.given = true;
    await handlers.startExam({});
    expect(started()).toBe(1);
    approval.given = false;

    broken = false;
    monitors.follow('preflight');
    await monitors.ready();
    expect(monitors.failed).toBeNull();
    expect(monitors.current).toBe(monitoring);
    // Handed in: the monitors have nothing more to watch.
    monitors.follow('submitted');
    await vi.waitFor(() => expect(monitors.current).toBeNull());
  });
});
