import { describe, expect, it } from 'vitest';

import { forbiddenSwitch } from './launch-guard';

describe('launch guard', () => {
  it.each([
    [['electron', '.', '--inspect'], '--inspect'],
    [['vakt', '--inspect=9229'], '--inspect'],
    [['vakt', '--inspect-brk=0.0.0.0:9229'], '--inspect-brk'],
    [['vakt', '--remote-debugging-port=9222'], '--remote-debugging-port'],
    [['vakt', '--remote-debugging-pipe'], '--remote-debugging-pipe'],
    [['vakt', '--js-flags=--allow-natives-syntax'], '--js-flags'],
  ])('refuses %j', (argv, expected) => {
    expect(forbiddenSwitch(argv)).toBe(expected);
  });

  it('lets ordinary launches and vakt:// links through', () => {
    expect(forbiddenSwitch(['vakt', 'vakt://exam.example.no/DEMO-1'])).toBeNull();
    expect(forbiddenSwitch(['vakt', '--inspector-mode-is-not-a-switch'])).toBeNull();
  });
});
