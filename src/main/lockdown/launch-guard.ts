/**
 * Switches that would let someone attach a debugger or drive the app from outside. Vakt
 * refuses to start with any of them (the packaged build's fuses also disable most; this
 * covers development builds and catches attempts so they can be explained).
 */
const FORBIDDEN = [
  /^--inspect(-brk|-port|-publish-uid)?(=|$)/,
  /^--remote-debugging-/,
  /^--js-flags/,
];

/** The first forbidden switch in `argv`, or null. */
export function forbiddenSwitch(argv: readonly string[]): string | null {
  for (const arg of argv) {
    if (FORBIDDEN.some((pattern) => pattern.test(arg))) return arg.split('=')[0] ?? arg;
  }
  return null;
}
