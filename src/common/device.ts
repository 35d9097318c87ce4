import { z } from 'zod';

/** The laptop's battery, as its OS says: percent left, and whether it is charging. */
export const batterySchema = z.strictObject({
  level: z.int().min(0).max(100),
  charging: z.boolean(),
});
export type Battery = z.infer<typeof batterySchema>;

/**
 * What a heartbeat says of the laptop itself: its battery (null: none, or unknown) and how it
 * is connected (null: unknown). Nothing else: no network names, no addresses.
 */
export const deviceSchema = z.strictObject({
  battery: batterySchema.nullable(),
  network: z.enum(['wifi', 'wired']).nullable(),
});
export type Device = z.infer<typeof deviceSchema>;

/**
 * The battery warning due, in percent (SEB's thresholds): 10 at or below 10 %, 20 at or below
 * 20 %, none while charging or above.
 */
export function batteryWarning(battery: Battery | null): 20 | 10 | null {
  if (!battery || battery.charging) return null;
  if (battery.level <= 10) return 10;
  return battery.level <= 20 ? 20 : null;
}
