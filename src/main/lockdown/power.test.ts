import { EventEmitter } from 'node:events';

import { describe, expect, it } from 'vitest';

import { watchPower } from './power';

describe('sleep and the lock screen', () => {
  it('journals each change and puts the lockdown back on waking and unlocking', () => {
    const power = new EventEmitter();
    const recorded: string[] = [];
    let reasserted = 0;
    watchPower(
      power,
      (state) => recorded.push(state),
      () => (reasserted += 1),
    );
    power.emit('suspend');
    expect(reasserted).toBe(0);
    power.emit('resume');
    expect(reasserted).toBe(1);
    power.emit('lock-screen');
    power.emit('unlock-screen');
    expect(recorded).toEqual(['suspended', 'resumed', 'screen-locked', 'screen-unlocked']);
    expect(reasserted).toBe(2);
  });
});
