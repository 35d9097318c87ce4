import type { ExamPolicy } from '../../common/policy';
import type { LifecyclePhase } from '../../common/session-phase';

/** The parts of Electron's BrowserWindow the lockdown sets (a fake in tests). */
export interface LockdownWindow {
  setKiosk(flag: boolean): void;
  setAlwaysOnTop(flag: boolean, level?: 'screen-saver'): void;
  setContentProtection(enable: boolean): void;
  setFullScreen(flag: boolean): void;
  isDestroyed(): boolean;
}

/** Electron's modules as far as the lockdown uses them. */
export interface LockdownPorts {
  window: LockdownWindow;
  /** `Menu.setApplicationMenu(null)`: a window's `setMenu(null)` does nothing on macOS. */
  removeApplicationMenu(): void;
  powerSaveBlocker: {
    start(type: 'prevent-display-sleep'): number;
    stop(id: number): boolean;
  };
  /** Electron's clipboard. */
  clipboard: { clear(): void };
  /** Clears Linux's selection clipboard (middle-click paste); absent elsewhere. */
  clearSelection(): void;
  /** `session.setSpellCheckerEnabled`. */
  setSpellCheck(enabled: boolean): void;
}

/** The phases in which the exam runs: the kiosk is engaged in these and only these. */
const ENGAGED_IN: readonly LifecyclePhase[] = ['in-progress', 'locked', 'paused', 'submitting'];

/**
 * Engages and releases the kiosk with the exam, driven by the session's phase events. Engaged
 * (the exam runs): kiosk and full screen, always on top at the screen-saver level, content
 * protection against screen capture, no application menu, the display kept awake, the
 * clipboard cleared (per policy), spellcheck per policy. Released after submission or an
 * allowed exit, with the clipboard cleared again so no answer leaves in it. Before the exam
 * (sign-in, preflight) the window is an ordinary one: the candidate may need other windows to
 * close the programs preflight lists. What may be pasted is decided per paste, in the page's
 * paste guard and the session's clipboard rule (clipboard-rule.ts), so that no path (keys,
 * middle click, drop) is missed.
 */
export class Lockdown {
  private engaged = false;
  private policy: ExamPolicy | null = null;
  private blocker: number | null = null;

  constructor(private readonly ports: LockdownPorts) {
    ports.removeApplicationMenu();
    // The window allows spellcheck so that a policy can turn it on; off until one does.
    ports.setSpellCheck(false);
  }

  get isEngaged(): boolean {
    return this.engaged;
  }

  /** Whether copying works in the exam window now (always, outside the exam). */
  get copyPasteAllowed(): boolean {
    return !this.engaged || (this.policy?.clipboard.allowWithinExam ?? false);
  }

  /** The session's phase, with the exam's policy once signed in. */
  phase(phase: LifecyclePhase, policy: ExamPolicy | null): void {
    if (policy) {
      this.policy = policy;
      this.ports.setSpellCheck(policy.spellcheck);
    }
    if (ENGAGED_IN.includes(phase)) this.engage();
    else if (phase !== 'preflight') this.release();
  }

  /** After sleep, or when anything left full screen: put everything back while engaged. */
  reassert(): void {
    if (!this.engaged || this.ports.window.isDestroyed()) return;
    this.applyWindow(true);
  }

  private clearClipboard(): void {
    this.ports.clipboard.clear();
    this.ports.clearSelection();
  }

  private engage(): void {
    if (this.engaged) return;
    this.engaged = true;
    if (this.policy?.clipboard.clearOnStart ?? true) this.clearClipboard();
    this.ports.removeApplicationMenu();
    this.applyWindow(true);
    this.blocker ??= this.ports.powerSaveBlocker.start('prevent-display-sleep');
  }

  private release(): void {
    if (!this.engaged) return;
    this.engaged = false;
    this.clearClipboard();
    if (!this.ports.window.isDestroyed()) this.applyWindow(false);
    if (this.blocker !== null) this.ports.powerSaveBlocker.stop(this.blocker);
    this.blocker = null;
  }

  private applyWindow(on: boolean): void {
    const { window } = this.ports;
    window.setKiosk(on);
    window.setFullScreen(on);
    window.setAlwaysOnTop(on, 'screen-saver');
    window.setContentProtection(on);
  }
}
