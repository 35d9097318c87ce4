import { describe, expect, it } from 'vitest';

import { EVENT_KINDS, EVENT_PAYLOADS } from './events';

describe('event catalogue', () => {
  it('names every kind of event DESIGN.md lists', () => {
    for (const kind of [
      'process.started',
      'process.stopped',
      'process.terminated',
      'focus.lost',
      'focus.regained',
      'display.changed',
      'vm.evidence',
      'remote-session.detected',
      'network.offline',
      'network.online',
      'integrity.torn',
      'integrity.altered',
      'lock.engaged',
      'exit.attempted',
      'instruction.applied',
      'answer.saved',
      'sync.nonce',
      'submission.sealed',
    ]) {
      expect(EVENT_KINDS).toContain(kind);
    }
  });

  it('has no severity anywhere: the server assigns it', () => {
    for (const schema of Object.values(EVENT_PAYLOADS)) {
      expect(Object.keys(schema.shape)).not.toContain('severity');
    }
  });

  it('never carries a path or a command line in a process event', () => {
    const started = EVENT_PAYLOADS['process.started'];
    const leaky = {
      name: 'Discord',
      category: 'communication',
      action: 'flag',
      path: '/home/kari/Discord',
    };
    expect(started.safeParse(leaky).success).toBe(false);
    const { path: _path, ...clean } = leaky;
    expect(started.safeParse(clean).success).toBe(true);
  });

  it('does not let an allowed program produce a process.started event', () => {
    const started = EVENT_PAYLOADS['process.started'];
    expect(
      started.safeParse({ name: 'NVDA', category: 'assistive-technology', action: 'allow' })
        .success,
    ).toBe(false);
  });

  it('refuses a NUL in the words a candidate or an invigilator writes (PostgreSQL text cannot hold it)', () => {
    expect(EVENT_PAYLOADS['hand.raised'].safeParse({ text: 'help\u0000' }).success).toBe(false);
    expect(EVENT_PAYLOADS['hand.raised'].safeParse({ text: 'My screen went dark' }).success).toBe(
      true,
    );
    expect(
      EVENT_PAYLOADS['message.received'].safeParse({
        id: '7d3f9a8e-6b1c-4c1e-9a53-0d4b7c2e9f11',
        text: 'ten\u0000minutes',
      }).success,
    ).toBe(false);
    expect(EVENT_PAYLOADS['message.read'].safeParse({ id: 'x\u0000' }).success).toBe(false);
  });
});
