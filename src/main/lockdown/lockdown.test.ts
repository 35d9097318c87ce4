import { describe, expect, it } from 'vitest';

import { examPolicySchema, type ExamPolicyInput } from '../../common/policy';

import { Lockdown, type LockdownPorts } from './lockdown';

/** Electron's window, power-save blocker, clipboard and menu as small fakes that keep state. */
function fakes() {
  const window = {
    kiosk: false,
    fullScreen: false,
    onTop: null as string | null,
    protectedContent: false,
    destroyed: false,
    setKiosk(flag: boolean) {
      this.kiosk = flag;
    },
    setFullScreen(flag: boolean) {
      this.fullScreen = flag;
    },
    setAlwaysOnTop(flag: boolean, level?: string) {
      this.onTop = flag ? (level ?? 'floating') : null;
    },
    setContentProtection(enable: boolean) {
      this.protectedContent = enable;
    },
    isDestroyed() {
      return this.destroyed;
    },
  };
  const state = {
    blockers: new Set<number>(),
    clipboard: '',
    selection: '',
    menuRemoved: 0,
    spellcheck: true,
  };
  let next = 1;
  const ports: LockdownPorts = {
    window,
    removeApplicationMenu: () => {
      state.menuRemoved += 1;
    },
    powerSaveBlocker: {
      start: () => {
        state.blockers.add(next);
        return next++;
      },
      stop: (id) => state.blockers.delete(id),
    },
    clipboard: {
      clear: () => {
        state.clipboard = '';
      },
    },
    clearSelection: () => {
      state.selection = '';
    },
    setSpellCheck: (enabled) => {
      state.spellcheck = enabled;
    },
  };
  return { window, state, ports };
}

const policy = (input: ExamPolicyInput = {}) => examPolicySchema.parse(input);

describe('lockdown', () => {
  it('engages with the exam and releases after submission', () => {
    const { window, state, ports } = fakes();
    const lockdown = new Lockdown(ports);
    // At start-up the application menu goes, whatever the phase.
    expect(state.menuRemoved).toBe(1);

    // Spellcheck is off until a policy turns it on.
    expect(state.spellcheck).toBe(false);
    lockdown.phase('signed-out', null);
    state.clipboard = 'copied from the textbook PDF';
    state.selection = 'selected in the textbook PDF';
    lockdown.phase('preflight', policy());
    // Preflight is an ordinary window: the candidate may have programs to close.
    expect(window).toMatchObject({ kiosk: false, onTop: null, protectedContent: false });
    expect(state.spellcheck).toBe(false);

    lockdown.phase('in-progress', null);
    expect(window).toMatchObject({
      kiosk: true,
      fullScreen: true,
      onTop: 'screen-saver',
      protectedContent: true,
    });
    expect(state.blockers.size).toBe(1);
    expect(state.clipboard).toBe('');
    // Linux's middle-click selection too.
    expect(state.selection).toBe('');
    expect(lockdown.isEngaged).toBe(true);

    // Locked by the invigilator and submitting stay engaged.
    lockdown.phase('locked', null);
    lockdown.phase('submitting', null);
    expect(window.kiosk).toBe(true);
    expect(state.blockers.size).toBe(1);

    state.clipboard = 'an answer';
    lockdown.phase('submitted', null);
    expect(window).toMatchObject({
      kiosk: false,
      fullScreen: false,
      onTop: null,
      protectedContent: false,
    });
    expect(state.blockers.size).toBe(0);
    // No answer leaves in the clipboard.
    expect(state.clipboard).toBe('');
    expect(lockdown.isEngaged).toBe(false);
  });

  it('releases on an allowed exit, and never touches a window that is gone', () => {
    const { window, state, ports } = fakes();
    const lockdown = new Lockdown(ports);
    lockdown.phase('in-progress', policy());
    window.destroyed = true;
    window.kiosk = true;
    lockdown.phase('exiting', null);
    expect(state.blockers.size).toBe(0);
    expect(window.kiosk).toBe(true);
  });

  it('puts everything back after sleep or a way out of full screen, only while engaged', () => {
    const { window, ports } = fakes();
    const lockdown = new Lockdown(ports);
    lockdown.reassert();
    expect(window.kiosk).toBe(false);
    lockdown.phase('in-progress', policy());
    window.setKiosk(false);
    window.setFullScreen(false);
    window.setAlwaysOnTop(false);
    lockdown.reassert();
    expect(window).toMatchObject({ kiosk: true, fullScreen: true, onTop: 'screen-saver' });
  });

  it('follows the exam policy for spellcheck and for keeping the clipboard at the start', () => {
    const { state, ports } = fakes();
    const lockdown = new Lockdown(ports);
    lockdown.phase('preflight', policy({ spellcheck: true, clipboard: { clearOnStart: false } }));
    expect(state.spellcheck).toBe(true);
    state.clipboard = 'kept in the OS clipboard';
    lockdown.phase('in-progress', null);
    expect(state.clipboard).toBe('kept in the OS clipboard');
  });

  it('refuses copy and paste during the exam where the policy says so, and only then', () => {
    const { ports } = fakes();
    const lockdown = new Lockdown(ports);
    lockdown.phase('preflight', policy({ clipboard: { allowWithinExam: false } }));
    expect(lockdown.copyPasteAllowed).toBe(true);
    lockdown.phase('in-progress', null);
    expect(lockdown.copyPasteAllowed).toBe(false);
    lockdown.phase('submitted', null);
    expect(lockdown.copyPasteAllowed).toBe(true);
  });
});
