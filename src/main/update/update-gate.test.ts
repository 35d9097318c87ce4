import { describe, expect, it } from 'vitest';

import type { LifecyclePhase } from '../../common/session-phase';

import { UpdateGate, type UpdaterPort } from './update-gate';

/** A feed that offers 0.2.0 and records what the gate asked of it. */
function fakeUpdater(options: { slowDownload?: Promise<void>; version?: string } = {}) {
  const calls: string[] = [];
  let installOnQuit = false;
  const updater: UpdaterPort = {
    check: () => {
      calls.push('check');
      return Promise.resolve(options.version ?? '0.2.0');
    },
    download: async () => {
      calls.push('download');
      await options.slowDownload;
      return ['/cache/Vakt-0.2.0.AppImage'];
    },
    setInstallOnQuit: (install) => {
      installOnQuit = install;
    },
  };
  return { updater, calls, installOnQuit: () => installOnQuit };
}

const quiet = { warn: () => undefined };

async function walk(gate: UpdateGate, phases: LifecyclePhase[]) {
  for (const phase of phases) {
    gate.follow(phase);
    await gate.settled();
  }
}

describe('updates around exams', () => {
  it('never checks or downloads during an exam, and installs on quit after submission', async () => {
    const { updater, calls, installOnQuit } = fakeUpdater();
    const gate = new UpdateGate(updater, 'auto', quiet);
    await walk(gate, ['preflight', 'in-progress', 'locked', 'in-progress', 'submitting']);
    expect(calls).toEqual([]);
    expect(installOnQuit()).toBe(false);
    await walk(gate, ['submitted']);
    expect(calls).toEqual(['check', 'download']);
    expect(gate.pending).toBe('0.2.0');
    expect(installOnQuit()).toBe(true);
  });

  it('holds back an update downloaded before the exam until the exam is over', async () => {
    const { updater, installOnQuit } = fakeUpdater();
    const gate = new UpdateGate(updater, 'auto', quiet);
    await walk(gate, ['signed-out']);
    expect(installOnQuit()).toBe(true);
    gate.follow('preflight');
    expect(installOnQuit()).toBe(false);
    gate.follow('in-progress');
    expect(installOnQuit()).toBe(false);
    gate.follow('exiting');
    expect(installOnQuit()).toBe(true);
  });

  it('does not install a download that finished after the exam began', async () => {
    let finish = () => undefined as void;
    const slowDownload = new Promise<void>((resolve) => (finish = resolve));
    const { updater, installOnQuit } = fakeUpdater({ slowDownload });
    const gate = new UpdateGate(updater, 'auto', quiet);
    gate.follow('signed-out');
    // The candidate signs in while the installer is still downloading.
    await Promise.resolve();
    gate.follow('preflight');
    finish();
    await gate.settled();
    expect(installOnQuit()).toBe(false);
    gate.follow('submitted');
    expect(installOnQuit()).toBe(true);
  });

  it('only offers in manual mode, and does nothing when MDM updates Vakt', async () => {
    const manual = fakeUpdater();
    const offers: string[] = [];
    await walk(new UpdateGate(manual.updater, 'manual', quiet, (v) => offers.push(v)), [
      'signed-out',
    ]);
    expect(manual.calls).toEqual(['check']);
    expect(offers).toEqual(['0.2.0']);
    const none = fakeUpdater();
    await walk(new UpdateGate(none.updater, 'none', quiet), ['signed-out', 'submitted']);
    expect(none.calls).toEqual([]);
  });

  it('installs nothing whose signature fails, and does not download that version again', async () => {
    const { updater, calls, installOnQuit } = fakeUpdater();
    const warnings: string[] = [];
    const gate = new UpdateGate(
      updater,
      'auto',
      { warn: (message) => warnings.push(message) },
      undefined,
      (files, version) =>
        Promise.resolve({
          ok: false,
          reason: `${files.join()} ${version} is not signed`,
          retry: false,
        }),
    );
    await walk(gate, ['signed-out', 'submitted', 'exiting']);
    expect(installOnQuit()).toBe(false);
    expect(gate.pending).toBeNull();
    expect(calls).toEqual(['check', 'download', 'check', 'check']);
    expect(warnings).toEqual([
      'update 0.2.0 refused: /cache/Vakt-0.2.0.AppImage 0.2.0 is not signed',
    ]);
    // A signature not on the feed yet (IT copied the installer first) is tried again next time.
    const early = fakeUpdater();
    let signed = false;
    const waiting = new UpdateGate(early.updater, 'auto', quiet, undefined, () =>
      Promise.resolve(signed ? { ok: true } : { ok: false, reason: 'no .sig yet', retry: true }),
    );
    await walk(waiting, ['signed-out']);
    expect(early.installOnQuit()).toBe(false);
    signed = true;
    await walk(waiting, ['submitted']);
    expect(early.calls).toEqual(['check', 'download', 'check', 'download']);
    expect(early.installOnQuit()).toBe(true);
    // A newer version is tried again: the feed may have been fixed.
    const fixed = fakeUpdater({ version: '0.2.1' });
    const verified = new UpdateGate(fixed.updater, 'auto', quiet, undefined, () =>
      Promise.resolve({ ok: true }),
    );
    await walk(verified, ['signed-out']);
    expect(fixed.installOnQuit()).toBe(true);
    expect(verified.pending).toBe('0.2.1');
  });

  it('logs a feed that cannot be reached and goes on', async () => {
    const warnings: string[] = [];
    const gate = new UpdateGate(
      {
        check: () => Promise.reject(new Error('ECONNREFUSED')),
        download: () => Promise.resolve([]),
        setInstallOnQuit: () => undefined,
      },
      'auto',
      { warn: (message) => warnings.push(message) },
    );
    await walk(gate, ['signed-out']);
    expect(warnings).toEqual(['checking for an update failed']);
    expect(gate.pending).toBeNull();
  });
});
