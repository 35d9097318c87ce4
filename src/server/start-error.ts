import { ConfigError } from './config';
import { ExamFileError } from './exams/exam-file';

/** Explains a failure to start in one line a person can act on, then exits. */
export function exitOnStartError(error: unknown): never {
  if (error instanceof ConfigError || error instanceof ExamFileError) {
    console.error(`Vakt server cannot start: ${error.message}`);
  } else {
    console.error('Vakt server stopped on an unexpected error:', error);
  }
  process.exit(1);
}
