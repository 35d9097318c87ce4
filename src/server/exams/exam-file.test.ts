import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ExamFileError, loadExamFile } from './exam-file';

const demo = fileURLToPath(new URL('../../../assets/exams/demo.json', import.meta.url));

describe('exam files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vakt-exams-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('loads the demo exam, with every question type and a complete policy', async () => {
    const exam = await loadExamFile(demo);
    expect(exam.code).toBe('DEMO-1');
    expect(new Set(exam.content.questions.map((q) => q.type))).toEqual(
      new Set(['single-choice', 'multiple-choice', 'short-text', 'long-text', 'numeric']),
    );
    expect(exam.policy.timing.durationMinutes).toBe(60);
    expect(exam.policy.privacy.recordWindowTitles).toBe(false);
  });

  it('names the file and the JSON error for unreadable JSON', async () => {
    const path = join(dir, 'broken.json');
    await writeFile(path, '{"code": ');
    await expect(loadExamFile(path)).rejects.toThrow(ExamFileError);
    await expect(loadExamFile(path)).rejects.toThrow(`Cannot read exam file ${path}`);
  });

  it('lists every problem of an invalid exam', async () => {
    const path = join(dir, 'invalid.json');
    await writeFile(
      path,
      JSON.stringify({
        code: 'x',
        window: { opensAt: '2026-06-01T09:00:00Z', closesAt: '2026-06-01T08:00:00Z' },
        content: { title: 'T', questions: [{ id: 'q', type: 'short-text', prompt: '' }] },
      }),
    );
    const error = await loadExamFile(path).then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toContain('exam.code: must be 3–32 upper-case letters');
    expect(error?.message).toContain('exam.content.questions[0].prompt: must not be empty');
    expect(error?.message).toContain('exam.window.closesAt: must be after opensAt');
  });
});
