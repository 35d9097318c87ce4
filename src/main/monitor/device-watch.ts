import type { Device } from '../../common/device';
import { Repeater, type Timers } from '../timers';

/** The laptop's battery and network as last read, for the heartbeat and the candidate's screen. */
export interface DeviceSource {
  readonly current: Device | null;
  /** `listener` runs when a reading differs from the last; returns the unsubscribe. */
  onChange(listener: () => void): () => void;
}

/** How often the battery and network are read: a battery falls a percent in minutes. */
export const DEVICE_READ_MS = 30_000;

/** Reads the laptop's battery and network every DEVICE_READ_MS, from start to stop. */
export class DeviceWatch implements DeviceSource {
  private reading: Device | null = null;
  private readonly listeners = new Set<() => void>();
  private readonly repeater: Repeater;

  constructor(read: () => Promise<Device>, timers: Timers, everyMs = DEVICE_READ_MS) {
    this.repeater = new Repeater(timers, everyMs, async () => {
      const next = await read();
      if (JSON.stringify(next) === JSON.stringify(this.reading)) return;
      this.reading = next;
      for (const listener of this.listeners) listener();
    });
  }

  get current(): Device | null {
    return this.reading;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(): void {
    this.repeater.start();
  }

  stop(): Promise<void> {
    return this.repeater.stop();
  }
}
