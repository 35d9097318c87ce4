/**
 * The one deadline rule, for the client's countdown and the server's check alike: time runs
 * out at the exam's duration from the start, but never past its close, both moved by the
 * candidate's extra time; then every credit invigilators gave (minutes added, the length of
 * each pause) moves it on, whenever it was given.
 *
 * The server does not take the client's word for when it started, so it checks against the
 * close (`startedAt` null): for an exam whose duration ends before its close, the server's
 * deadline is the later, outer bound.
 */
export function deadlineOf(
  exam: { closesAt: number; durationMinutes: number },
  extraMinutes: number,
  startedAt: number | null,
  creditMs = 0,
): number {
  const extra = extraMinutes * MINUTE;
  const atClose = exam.closesAt + extra;
  const base =
    startedAt === null
      ? atClose
      : Math.min(startedAt + exam.durationMinutes * MINUTE + extra, atClose);
  return base + creditMs;
}

const MINUTE = 60_000;
