import { describe, expect, it } from 'vitest';

import { examPolicySchema } from '../../common/policy';

import { ClipboardRule } from './clipboard-rule';

const allowing = examPolicySchema.parse({});
const refusing = examPolicySchema.parse({ clipboard: { allowWithinExam: false } });

describe('the clipboard rule', () => {
  it('lets anything in before and after the exam, and nothing is journaled', () => {
    const rule = new ClipboardRule();
    for (const phase of ['signed-out', 'preflight', 'submitted'] as const) {
      const verdict = rule.decide({ action: 'middle-click', text: 'x' }, phase, allowing, 0);
      expect(verdict).toEqual({ allowed: true, refused: null });
    }
  });

  it('lets only the exam’s own copied text back in while it runs', () => {
    const rule = new ClipboardRule();
    const paste = (text: string, now: number, action = 'paste' as const) =>
      rule.decide({ action, text }, 'in-progress', allowing, now);
    expect(paste('from a chat', 0)).toEqual({
      allowed: false,
      refused: { via: 'paste', chars: 11 },
    });
    rule.decide({ action: 'copy', text: 'my paragraph' }, 'in-progress', allowing, 1);
    expect(paste('my paragraph', 2).allowed).toBe(true);
    // Not as a drop from outside, even the same words.
    expect(rule.decide({ action: 'drop', text: 'my paragraph' }, 'locked', allowing, 3)).toEqual({
      allowed: false,
      refused: { via: 'drop', chars: 12 },
    });
    // Characters, not UTF-16 units: "æøå🙂" is four.
    expect(paste('æøå🙂', 10_000).refused).toEqual({ via: 'paste', chars: 4 });
  });

  it('refuses every paste where the policy refuses copy and paste, even of the exam’s text', () => {
    const rule = new ClipboardRule();
    expect(rule.decide({ action: 'copy', text: 'mine' }, 'in-progress', refusing, 0).allowed).toBe(
      false,
    );
    const verdict = rule.decide({ action: 'paste', text: 'mine' }, 'in-progress', refusing, 1);
    expect(verdict).toEqual({ allowed: false, refused: { via: 'paste', chars: 4 } });
  });

  it('journals a held Ctrl+V once every two seconds, each way on its own', () => {
    const rule = new ClipboardRule();
    const journaled = [];
    for (let now = 0; now < 5_000; now += 33) {
      const verdict = rule.decide({ action: 'paste', text: 'x' }, 'in-progress', allowing, now);
      expect(verdict.allowed).toBe(false);
      if (verdict.refused) journaled.push(now);
    }
    expect(journaled).toEqual([0, 2_013, 4_026]);
    const middle = rule.decide({ action: 'middle-click', text: 'x' }, 'paused', allowing, 4_100);
    expect(middle.refused).toEqual({ via: 'middle-click', chars: 1 });
    // An empty paste does not hide a real one right after it.
    const empty = new ClipboardRule();
    expect(empty.decide({ action: 'paste', text: '' }, 'in-progress', allowing, 0).refused).toEqual(
      { via: 'paste', chars: 0 },
    );
    const text = 'x'.repeat(5_000);
    expect(empty.decide({ action: 'paste', text }, 'in-progress', allowing, 10).refused).toEqual({
      via: 'paste',
      chars: 5_000,
    });
  });
});
