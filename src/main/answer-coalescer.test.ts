import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import type { AnswerValue } from '../common/answers';

import { AnswerCoalescer } from './answer-coalescer';

const text = (t: string): AnswerValue => ({ type: 'long-text', text: t });

describe('answer coalescing', () => {
  let writes: [string, string][];
  let writtenAt: number[];
  let fail = false;
  let coalescer: AnswerCoalescer;

  beforeEach(() => {
    vi.useFakeTimers();
    writes = [];
    writtenAt = [];
    fail = false;
    coalescer = new AnswerCoalescer(
      (questionId, value) => {
        if (fail) return Promise.reject(new Error('disk full'));
        writes.push([questionId, value.type === 'long-text' ? value.text : '']);
        writtenAt.push(Date.now());
        return Promise.resolve();
      },
      {
        now: () => Date.now(),
        setTimeout: (run, ms) => setTimeout(run, ms),
        clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
      },
    );
  });
  afterEach(() => vi.useRealTimers());

  it('writes at most once per question every 500 ms while typing, always the latest text', async () => {
    const typed = 'Oslo is the capital';
    const saves: Promise<void>[] = [];
    for (let i = 1; i <= typed.length; i += 1) {
      saves.push(coalescer.change('essay', text(typed.slice(0, i))));
      await vi.advanceTimersByTimeAsync(50); // 20 keystrokes a second
    }
    await vi.advanceTimersByTimeAsync(500);
    await Promise.all(saves);
    // 19 keystrokes over 950 ms: the first at once, then one per 500 ms, then the last.
    expect(writes.length).toBeGreaterThanOrEqual(2);
    expect(writes.length).toBeLessThanOrEqual(4);
    for (let i = 1; i < writtenAt.length; i += 1) {
      expect(writtenAt[i]! - writtenAt[i - 1]!).toBeGreaterThanOrEqual(500);
    }
    expect(writes.at(-1)).toEqual(['essay', typed]);
    expect(coalescer.unsaved()).toEqual([]);
  });

  it('writes at once when the candidate leaves the question', async () => {
    await coalescer.change('q1', text('a'));
    const second = coalescer.change('q1', text('ab'));
    expect(writes).toEqual([['q1', 'a']]);
    await coalescer.flush('q1');
    await second;
    expect(writes).toEqual([
      ['q1', 'a'],
      ['q1', 'ab'],
    ]);
  });

  it('keeps a value whose write failed and writes it on the next flush', async () => {
    fail = true;
    await expect(coalescer.change('q1', text('kept'))).rejects.toThrow('disk full');
    expect(coalescer.unsaved()).toEqual(['q1']);
    fail = false;
    await coalescer.flush();
    expect(writes).toEqual([['q1', 'kept']]);
    expect(coalescer.unsaved()).toEqual([]);
  });

  it('coalesces each question on its own clock', async () => {
    await coalescer.change('q1', text('1'));
    await coalescer.change('q2', text('2'));
    expect(writes).toEqual([
      ['q1', '1'],
      ['q2', '2'],
    ]);
  });
});
