import { readFile } from 'node:fs/promises';

import { parseExamFile, type ExamFile } from '../../common/exam-file';

export class ExamFileError extends Error {
  override name = 'ExamFileError';
}

/** Reads and validates an exam JSON file; every problem is named in the error message. */
export async function loadExamFile(path: string): Promise<ExamFile> {
  let input: unknown;
  try {
    input = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new ExamFileError(`Cannot read exam file ${path}: ${(error as Error).message}`);
  }
  const parsed = parseExamFile(input);
  if (!parsed.ok) {
    throw new ExamFileError(`Exam file ${path} is not valid:\n  ${parsed.problems.join('\n  ')}`);
  }
  return parsed.value;
}
