import type { EventPayload } from '../../common/events';
import { truncateText } from '../../common/well-formed';

/** The application that has focus, as the window reader tells it. */
export interface ActiveApp {
  app: string | null;
  title?: string;
  pid?: number;
}

/** get-windows in production; null when it cannot tell (Wayland, no window manager). */
export type ActiveWindowReader = () => Promise<ActiveApp | null>;

export type FocusEvent =
  | { kind: 'focus.lost'; payload: EventPayload<'focus.lost'> }
  | { kind: 'focus.regained'; payload: EventPayload<'focus.regained'> };

export interface FocusMonitorOptions {
  readActive: ActiveWindowReader;
  /** A monotonic clock in ms, so a clock change cannot distort the time away. */
  now: () => number;
  /** The policy's privacy.recordWindowTitles: titles only when it is on. */
  recordTitles: boolean;
  emit: (event: FocusEvent) => void;
  /** Our own processes: a reader that still reports us is asked again. */
  ownPids?: readonly number[];
  sleep?: (ms: number) => Promise<void>;
}

const ATTEMPTS = 5;
const RETRY_MS = 100;

/**
 * Turns the exam window's blur and focus (instant, from Electron in production) into
 * `focus.lost {app}` and `focus.regained {durationMs}`. While blurred it asks the window reader
 * which application took focus; where the reader cannot answer the events still fire, with the
 * application unknown.
 */
export class FocusMonitor {
  private blurredAt: number | null = null;
  private lost: Promise<void> | null = null;

  constructor(private readonly options: FocusMonitorOptions) {}

  /** The exam window lost focus. */
  blurred(): Promise<void> {
    if (this.blurredAt !== null) return this.lost ?? Promise.resolve();
    this.blurredAt = this.options.now();
    this.lost = this.reportLost();
    return this.lost;
  }

  /** The exam window has focus again. */
  async focused(): Promise<void> {
    if (this.blurredAt === null) return;
    const since = this.blurredAt;
    this.blurredAt = null;
    const durationMs = Math.max(0, Math.round(this.options.now() - since));
    // focus.lost first, even when focus came back before the reader answered.
    await this.lost;
    this.options.emit({ kind: 'focus.regained', payload: { durationMs } });
  }

  private async reportLost(): Promise<void> {
    const { readActive, ownPids = [process.pid], recordTitles } = this.options;
    const sleep = this.options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    let active: ActiveApp | null = null;
    for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
      active = await readActive().catch(() => null);
      const ours = active?.pid !== undefined && ownPids.includes(active.pid);
      // The application taking focus may not be active yet: ask again, briefly.
      if (active?.app && !ours) break;
      active = null;
      if (this.blurredAt === null) break;
      await sleep(RETRY_MS);
    }
    const title = recordTitles && active?.title ? truncateText(active.title, 500) : undefined;
    const app = active?.app ? truncateText(active.app, 100) : null;
    this.options.emit({ kind: 'focus.lost', payload: { app, ...(title ? { title } : {}) } });
  }
}

/** What get-windows' activeWindow() returns (the fields used). */
interface GetWindowsResult {
  title: string;
  owner: { name: string; processId: number };
}

/** Adapts get-windows' activeWindow(); the owner's path is dropped here. */
export function getWindowsReader(
  activeWindow: () => Promise<GetWindowsResult | undefined>,
): ActiveWindowReader {
  return async () => {
    const result = await activeWindow();
    if (!result) return null;
    return { app: result.owner.name || null, title: result.title, pid: result.owner.processId };
  };
}

/**
 * Why the window reader may not answer here (preflight shows it), or null. get-windows reads
 * X11 properties on Linux: under Wayland, or with no display, it cannot see other applications.
 */
export function focusReaderProblem(
  platform: NodeJS.Platform,
  env: Readonly<Record<string, string | undefined>>,
): string | null {
  if (platform !== 'linux') return null;
  if (env.XDG_SESSION_TYPE === 'wayland' || (env.WAYLAND_DISPLAY && !env.DISPLAY))
    return 'Under Wayland Vakt can tell that the exam window lost focus, but not which program took it.';
  if (!env.DISPLAY) return 'No X display: Vakt cannot tell which program takes focus.';
  return null;
}
