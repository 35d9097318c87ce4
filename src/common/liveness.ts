/**
 * One rule for "is this laptop still in touch", used by the client's link, the server and the
 * dashboard alike, and counted in the exam's own heartbeats: a candidate is late after two
 * missed heartbeats and offline after three. A beat may be a little late (a slow network, a
 * busy laptop) before it counts as missed.
 */

export const LATE_AFTER_BEATS = 2;
export const OFFLINE_AFTER_BEATS = 3;
/**
 * Small enough that the server's sweep (every second) and the dashboard's stream still show a
 * laptop offline within three heartbeats and five seconds of its last one.
 */
export const LIVENESS_GRACE_MS = 3_000;

export type Liveness = 'live' | 'late' | 'offline';

/** Silent this long and the candidate is late (23 s at the default 10 s heartbeat). */
export function lateAfterMs(heartbeatIntervalMs: number): number {
  return LATE_AFTER_BEATS * heartbeatIntervalMs + LIVENESS_GRACE_MS;
}

/** Silent this long and the candidate is offline (33 s at the default 10 s heartbeat). */
export function offlineAfterMs(heartbeatIntervalMs: number): number {
  return OFFLINE_AFTER_BEATS * heartbeatIntervalMs + LIVENESS_GRACE_MS;
}

/** Whether a laptop last heard from `silentMs` ago is live, late or offline. */
export function liveness(silentMs: number, heartbeatIntervalMs: number): Liveness {
  if (silentMs > offlineAfterMs(heartbeatIntervalMs)) return 'offline';
  if (silentMs > lateAfterMs(heartbeatIntervalMs)) return 'late';
  return 'live';
}
