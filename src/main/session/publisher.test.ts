import { describe, expect, it } from 'vitest';

import { ManualTimers } from '../../../test/support/manual-timers';
import type { ClientState } from '../../common/ipc';
import type { LifecyclePhase } from '../../common/session-phase';
import { signedOutState } from '../client-state';

import { Publisher } from './publisher';

function setup() {
  const timers = new ManualTimers();
  let state: ClientState = signedOutState();
  const pushed: ClientState[] = [];
  const phases: LifecyclePhase[] = [];
  const publisher = new Publisher(
    timers,
    () => state,
    (next) => pushed.push(next),
    (phase) => phases.push(phase),
  );
  const become = (phase: ClientState['phase']) => {
    state = { ...state, phase };
    publisher.changed();
  };
  return { timers, publisher, pushed, phases, become };
}

describe('publisher', () => {
  it('announces every phase at once, in order, even several within one turn', () => {
    const { publisher, phases, become } = setup();
    become('preflight');
    become('in-progress');
    become('locked');
    become('in-progress');
    become('in-progress');
    become('submitting');
    become('submitted');
    publisher.exiting();
    expect(phases).toEqual([
      'preflight',
      'in-progress',
      'locked',
      'in-progress',
      'submitting',
      'submitted',
      'exiting',
    ]);
  });

  it('pushes the state once per turn, however many changes landed in it', () => {
    const { timers, pushed, become } = setup();
    for (let n = 0; n < 1_000; n += 1) become(n % 2 === 0 ? 'preflight' : 'in-progress');
    expect(pushed).toEqual([]);
    timers.runAll();
    expect(pushed.map((state) => state.phase)).toEqual(['in-progress']);
  });

  it('stays at exiting once the candidate may leave', () => {
    const { publisher, phases, become } = setup();
    become('submitted');
    publisher.exiting();
    become('submitted');
    expect(phases).toEqual(['submitted', 'exiting']);
  });
});
