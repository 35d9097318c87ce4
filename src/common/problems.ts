import { z } from 'zod';

/**
 * What the candidate must be told, as a code with parameters. Main never sends a sentence: the
 * renderer owns the words, in every language it speaks.
 */
export const PROBLEM_CODES = [
  // Storage fails: the change stays in memory and is retried.
  'disk-full',
  'storage-denied',
  'storage-failed',
  // Uploads stopped; the candidate keeps answering and everything is kept on this computer.
  'token',
  'config-key',
  'client-too-old',
  'fork',
  'chain',
  'nonce',
  'quota',
  'journal',
  'too-large',
  'upload-rejected',
  'internal',
  // A second computer, and a submission.
  'awaiting-approval',
  'fetching-answers',
  'receipt-mismatch',
  // The candidate moved to another device; what this one writes is kept, not counted.
  'replaced',
] as const;
export const problemCodeSchema = z.enum(PROBLEM_CODES);
export type ProblemCode = z.infer<typeof problemCodeSchema>;

/** Values the words are filled with: a version, a record number, a server's own code. */
export const problemParamsSchema = z.record(
  z.string().max(40),
  z.union([z.string().max(200), z.number()]),
);
export type ProblemParams = z.infer<typeof problemParamsSchema>;

export const problemSchema = z.strictObject({
  code: problemCodeSchema,
  params: problemParamsSchema,
});
export type Problem = z.infer<typeof problemSchema>;

/** A problem without parameters. */
export function problem(code: ProblemCode, params: ProblemParams = {}): Problem {
  return { code, params };
}

/** The problem a failed journal write is, by its errno code. */
export function storageProblem(errno: string): Problem {
  switch (errno) {
    case 'ENOSPC':
      return problem('disk-full');
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return problem('storage-denied', { errno });
    default:
      return problem('storage-failed', { errno });
  }
}
