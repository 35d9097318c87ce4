import type { EventPayload } from '../../common/events';
import type { DisplayProblem } from '../../common/ipc';
import type { ExamPolicy } from '../../common/policy';

export type DisplayInfo = EventPayload<'display.changed'>['displays'][number];

/** The part of Electron's Display the monitor reads. */
export interface ScreenDisplay {
  internal: boolean;
  size: { width: number; height: number };
  bounds: { x: number; y: number; width: number; height: number };
}

/** Electron's `screen` module, as far as the monitor uses it. */
export interface ScreenPort {
  getAllDisplays(): ScreenDisplay[];
  on(
    event: 'display-added' | 'display-removed' | 'display-metrics-changed',
    listener: () => void,
  ): unknown;
}

/**
 * Count, internal or external, and mirroring. Electron does not say "mirrored"; displays that
 * share the same bounds show the same picture, which is what mirroring means here.
 */
export function describeDisplays(displays: readonly ScreenDisplay[]): DisplayInfo[] {
  const key = ({ bounds: b }: ScreenDisplay) => `${b.x},${b.y},${b.width},${b.height}`;
  const counts = new Map<string, number>();
  for (const display of displays) counts.set(key(display), (counts.get(key(display)) ?? 0) + 1);
  return displays.slice(0, 16).map((display) => ({
    internal: display.internal,
    width: Math.max(1, Math.round(display.size.width)),
    height: Math.max(1, Math.round(display.size.height)),
    mirrored: (counts.get(key(display)) ?? 0) > 1,
  }));
}

/** What preflight must show about the displays under this policy; empty when all is well. */
export function displayProblems(
  displays: readonly DisplayInfo[],
  policy: ExamPolicy['displays'],
): DisplayProblem[] {
  const problems: DisplayProblem[] = [];
  if (displays.length > policy.maxDisplays) {
    problems.push({
      code: 'too-many-displays',
      connected: displays.length,
      allowed: policy.maxDisplays,
    });
  }
  if (!policy.allowMirroring && displays.some((display) => display.mirrored)) {
    problems.push({ code: 'mirrored' });
  }
  return problems;
}

/** Reports `display.changed` whenever the set of displays changes (fed by Electron's screen). */
export class DisplayMonitor {
  private last = '';

  constructor(
    private readonly screen: ScreenPort,
    private readonly emit: (payload: EventPayload<'display.changed'>) => void,
  ) {}

  start(): void {
    const check = () => this.check();
    this.screen.on('display-added', check);
    this.screen.on('display-removed', check);
    this.screen.on('display-metrics-changed', check);
    this.check();
  }

  current(): DisplayInfo[] {
    return describeDisplays(this.screen.getAllDisplays());
  }

  private check(): void {
    const displays = this.current();
    const text = JSON.stringify(displays);
    if (text === this.last) return;
    this.last = text;
    this.emit({ displays });
  }
}
