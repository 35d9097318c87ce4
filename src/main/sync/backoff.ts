/**
 * Exponential backoff with full jitter: the wait before retry `attempt` (0-based) is uniform in
 * [0, min(capMs, baseMs · 2^attempt)), so clients cut off together do not return together.
 */
export function fullJitterDelay(
  attempt: number,
  baseMs: number,
  capMs: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * ceiling);
}
