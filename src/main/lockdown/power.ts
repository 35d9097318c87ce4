import type { EventPayload } from '../../common/events';

type PowerState = EventPayload<'power.changed'>['state'];

/** Electron's powerMonitor, as far as Vakt listens to it. */
export interface PowerPort {
  on(event: 'suspend' | 'resume' | 'lock-screen' | 'unlock-screen', listener: () => void): unknown;
}

const STATES: Record<'suspend' | 'resume' | 'lock-screen' | 'unlock-screen', PowerState> = {
  suspend: 'suspended',
  resume: 'resumed',
  'lock-screen': 'screen-locked',
  'unlock-screen': 'screen-unlocked',
};

/**
 * Sleep, wake, and the OS lock screen become journal events (the invigilator sees a laptop that
 * slept through part of the exam); on waking or unlocking, the lockdown is put back, since some
 * systems leave full screen or drop always-on-top across sleep.
 */
export function watchPower(
  power: PowerPort,
  record: (state: PowerState) => void,
  reassert: () => void,
): void {
  for (const [event, state] of Object.entries(STATES) as [keyof typeof STATES, PowerState][]) {
    power.on(event, () => {
      record(state);
      if (event === 'resume' || event === 'unlock-screen') reassert();
    });
  }
}
