import type { ClientState } from '../../common/ipc';
import type { LifecyclePhase } from '../../common/session-phase';
import type { Timers } from '../timers';

/**
 * Tells the world about the session: each new phase at once (the Electron layer engages and
 * releases lockdown on it), and the state once per turn of the event loop however many records
 * landed in it (a drain after reconnect writes many).
 */
export class Publisher {
  private pending = false;
  private phase: LifecyclePhase = 'signed-out';

  constructor(
    private readonly timers: Timers,
    private readonly state: () => ClientState,
    private readonly onState: (state: ClientState) => void,
    private readonly onPhase: (phase: LifecyclePhase) => void = () => undefined,
  ) {}

  /** Something the state shows may have changed. */
  changed(): void {
    if (this.phase !== 'exiting') this.announce(this.state().phase);
    if (this.pending) return;
    this.pending = true;
    this.timers.setTimeout(() => {
      this.pending = false;
      this.onState(this.state());
    }, 0);
  }

  /** The candidate may leave: the last phase. */
  exiting(): void {
    this.announce('exiting');
  }

  private announce(phase: LifecyclePhase): void {
    if (phase === this.phase) return;
    this.phase = phase;
    this.onPhase(phase);
  }
}
