import { describe, expect, it } from 'vitest';

import { FocusMonitor, focusReaderProblem, type ActiveApp, type FocusEvent } from './focus-monitor';

function monitor(readActive: () => Promise<ActiveApp | null>) {
  const events: FocusEvent[] = [];
  let time = 0;
  const focus = new FocusMonitor({
    readActive,
    now: () => time,
    recordTitles: false,
    emit: (event) => events.push(event),
    ownPids: [1],
    sleep: () => Promise.resolve(),
  });
  return { events, focus, advance: (ms: number) => (time += ms) };
}

describe('focus monitor', () => {
  it('still reports focus lost, with the application unknown, when the reader cannot tell', async () => {
    const { events, focus, advance } = monitor(() => Promise.reject(new Error('no X display')));
    await focus.blurred();
    advance(2_500);
    await focus.focused();
    expect(events).toEqual([
      { kind: 'focus.lost', payload: { app: null } },
      { kind: 'focus.regained', payload: { durationMs: 2_500 } },
    ]);
  });

  it('asks again while the reader still reports the exam window itself', async () => {
    const answers: ActiveApp[] = [
      { app: 'Vakt', pid: 1 },
      { app: 'Discord', pid: 7, title: 'general' },
    ];
    const { events, focus } = monitor(() => Promise.resolve(answers.shift() ?? null));
    await focus.blurred();
    expect(events).toEqual([{ kind: 'focus.lost', payload: { app: 'Discord' } }]);
  });

  it('cuts a long app name without splitting an emoji', async () => {
    const app = `${'x'.repeat(99)}🫐 chat`; // the emoji straddles the 100-unit limit
    const { events, focus } = monitor(() => Promise.resolve({ app, pid: 7 }));
    await focus.blurred();
    expect(events).toEqual([{ kind: 'focus.lost', payload: { app: 'x'.repeat(99) } }]);
  });

  it('keeps focus.lost before focus.regained when focus returns before the reader answers', async () => {
    let answer: (app: ActiveApp) => void = () => undefined;
    const { events, focus } = monitor(() => new Promise((resolve) => (answer = resolve)));
    const lost = focus.blurred();
    const regained = focus.focused();
    answer({ app: 'XTerm', pid: 9 });
    await Promise.all([lost, regained]);
    expect(events.map((event) => event.kind)).toEqual(['focus.lost', 'focus.regained']);
  });

  it('warns in preflight where the reader cannot see other applications', () => {
    expect(focusReaderProblem('linux', { XDG_SESSION_TYPE: 'wayland', DISPLAY: ':0' })).toMatch(
      /Wayland/,
    );
    expect(focusReaderProblem('linux', {})).toMatch(/No X display/);
    expect(focusReaderProblem('linux', { DISPLAY: ':0' })).toBeNull();
    expect(focusReaderProblem('win32', {})).toBeNull();
  });
});
