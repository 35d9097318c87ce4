import { describe, expect, it } from 'vitest';

import { examPolicySchema } from './policy';
import { parseWith } from './validation';

function problems(input: unknown): string[] {
  const parsed = parseWith(examPolicySchema, input, 'policy');
  return parsed.ok ? [] : parsed.problems;
}

describe('exam policy', () => {
  it('fills every default from an empty policy, privacy switches off', () => {
    const policy = examPolicySchema.parse({});
    expect(policy.privacy).toEqual({ recordWindowTitles: false, recordCommandLines: false });
    expect(policy.processes.pollIntervalMs).toBe(250);
    expect(policy.processes.categoryActions['assistive-technology']).toBe('allow');
    expect(policy.offlineGraceHours).toBe(24);
    expect(policy.spellcheck).toBe(false);
    expect(policy.exitCode).toBeNull();
  });

  it('keeps what an exam sets and defaults the rest of that section', () => {
    const policy = examPolicySchema.parse({ processes: { categoryActions: { browser: 'flag' } } });
    expect(policy.processes.categoryActions.browser).toBe('flag');
    expect(policy.processes.categoryActions['remote-access']).toBe('terminate');
  });

  it('names a misspelt setting instead of ignoring it', () => {
    expect(problems({ privacy: { recordWindowTitle: true } })).toEqual([
      expect.stringMatching(/^policy\.privacy: .*recordWindowTitle/),
    ]);
  });

  it('refuses to flag or terminate assistive technology', () => {
    expect(
      problems({ processes: { categoryActions: { 'assistive-technology': 'terminate' } } }),
    ).toEqual([
      expect.stringMatching(/^policy\.processes\.categoryActions\.assistive-technology: .*allow/),
    ]);
  });

  it('says where a value is out of range and what is allowed', () => {
    const found = problems({ processes: { pollIntervalMs: 10 }, timing: { durationMinutes: 0 } });
    expect(found).toEqual([
      expect.stringMatching(/^policy\.processes\.pollIntervalMs: .*250/),
      expect.stringMatching(/^policy\.timing\.durationMinutes: .*1/),
    ]);
  });

  it('refuses an unknown action and a rule without names', () => {
    const found = problems({
      processes: {
        rules: [{ names: [], friendlyName: 'X', category: 'automation', action: 'block' }],
      },
    });
    expect(found).toEqual([
      expect.stringMatching(/^policy\.processes\.rules\[0\]\.names: /),
      expect.stringMatching(
        /^policy\.processes\.rules\[0\]\.action: .*"allow"\|"flag"\|"terminate"/,
      ),
    ]);
  });

  it('refuses an exit code stored in the clear', () => {
    expect(problems({ exitCode: '1234' })[0]).toMatch(/^policy\.exitCode: /);
  });

  it('refuses an exit code hashed too cheaply to resist an offline search', () => {
    const cheap = {
      algorithm: 'scrypt',
      N: 1024,
      r: 8,
      p: 1,
      salt: '0'.repeat(32),
      hash: '0'.repeat(64),
    };
    expect(problems({ exitCode: cheap })).toEqual([
      'policy.exitCode.N: must be at least 131072 (2^17)',
    ]);
    expect(problems({ exitCode: { ...cheap, N: 131_072, r: 1 } })[0]).toMatch(
      /^policy\.exitCode\.r: /,
    );
    expect(problems({ exitCode: { ...cheap, N: 131_072 } })).toEqual([]);
  });
});
