import { describe, expect, it } from 'vitest';

import type { Instruction } from '../../common/api';
import type { Phase } from '../../common/session-phase';

import { applyInstructions, type InstructionTarget } from './instructions';

/** A session reduced to what instructions touch: a phase and a journal of what was done. */
function target(phase: Phase, applied: string[] = []) {
  const done: string[] = [];
  const state = { phase, applied };
  const session: InstructionTarget = {
    phase: () => state.phase,
    applied: () => state.applied,
    lock: () => {
      done.push('lock');
      state.phase = 'locked';
      return Promise.resolve();
    },
    unlock: () => {
      done.push('unlock');
      state.phase = 'in-progress';
      return Promise.resolve();
    },
    pause: (at) => {
      done.push(`pause ${at}`);
      state.phase = 'paused';
      return Promise.resolve();
    },
    resume: (pausedMs, _instruction) => {
      done.push(`resume ${pausedMs}`);
      if (state.phase === 'paused') state.phase = 'in-progress';
      return Promise.resolve();
    },
    handRaised: () => false,
    approvePreflight: () => {
      done.push('may start');
      return Promise.resolve();
    },
    record: (kind, payload) => {
      done.push(`${kind} ${JSON.stringify(payload)}`);
      if (kind === 'instruction.applied') state.applied.push((payload as { id: string }).id);
      return Promise.resolve();
    },
  };
  return { session, done };
}

const instruction = (id: string, kind: Instruction['kind'], minutes?: number): Instruction => ({
  id,
  kind,
  ...(minutes === undefined ? {} : { minutes }),
});

describe('instruction handler', () => {
  it('locks and unlocks in order, journaling each as applied', async () => {
    const { session, done } = target('in-progress');
    await applyInstructions([instruction('i1', 'lock'), instruction('i2', 'unlock')], session);
    expect(done).toEqual([
      'lock',
      'instruction.applied {"id":"i1","kind":"lock"}',
      'unlock',
      'instruction.applied {"id":"i2","kind":"unlock"}',
    ]);
  });

  it('applies each instruction once, however often the server repeats it', async () => {
    const { session, done } = target('in-progress', ['i1']);
    await applyInstructions([instruction('i1', 'lock'), instruction('i1', 'lock')], session);
    expect(done).toEqual([]);
  });

  it('records added time in any phase, with its minutes (the fold moves the deadline)', async () => {
    for (const phase of ['preflight', 'in-progress', 'locked'] as const) {
      const { session, done } = target(phase);
      await applyInstructions([instruction('t', 'add-time', 15)], session);
      expect(done).toEqual(['instruction.applied {"id":"t","kind":"add-time","minutes":15}']);
    }
  });

  it('lets the candidate start on an approved preflight, and ignores what does not fit the phase', async () => {
    const waiting = target('preflight');
    await applyInstructions([instruction('a', 'approve-preflight')], waiting.session);
    expect(waiting.done[0]).toBe('may start');

    const submitted = target('submitting');
    await applyInstructions(
      [instruction('l', 'lock'), instruction('u', 'unlock'), instruction('a', 'approve-preflight')],
      submitted.session,
    );
    // Journaled as applied, so the server stops repeating them, but nothing was done.
    expect(submitted.done.every((line) => line.startsWith('instruction.applied'))).toBe(true);
    expect(submitted.done).toHaveLength(3);
  });

  it('pauses from when the server gave the pause, and gives back its length in any phase', async () => {
    const writing = target('in-progress');
    await applyInstructions(
      [
        { id: 'p', kind: 'pause', at: 1_000 },
        { id: 'r', kind: 'resume', pausedMs: 70_000 },
      ],
      writing.session,
    );
    expect(writing.done).toEqual([
      'pause 1000',
      'instruction.applied {"id":"p","kind":"pause"}',
      'resume 70000',
      'instruction.applied {"id":"r","kind":"resume"}',
    ]);

    // Locked through a room pause: not paused, but the time comes back all the same.
    const locked = target('locked');
    await applyInstructions(
      [
        { id: 'p', kind: 'pause', at: 1_000 },
        { id: 'r', kind: 'resume', pausedMs: 70_000 },
      ],
      locked.session,
    );
    expect(locked.done.filter((line) => !line.startsWith('instruction'))).toEqual(['resume 70000']);
  });
});
