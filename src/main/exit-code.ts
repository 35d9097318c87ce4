import { scrypt, timingSafeEqual } from 'node:crypto';

import type { ExitCodeHash } from '../common/policy';

/**
 * True when `code` is the policy's exit code (scrypt with the policy's parameters; spaces
 * around it do not count, as when it was hashed).
 */
export function verifyExitCode(code: string, stored: ExitCodeHash): Promise<boolean> {
  const expected = Buffer.from(stored.hash, 'hex');
  return new Promise((resolve) => {
    scrypt(
      code.trim(),
      Buffer.from(stored.salt, 'hex'),
      expected.length,
      { N: stored.N, r: stored.r, p: stored.p, maxmem: 256 * stored.N * stored.r + 1024 * 1024 },
      (error, actual) => resolve(!error && timingSafeEqual(actual, expected)),
    );
  });
}

export type ExitVia = 'submitted' | 'invigilator' | 'exit-code' | 'replaced';

/**
 * How the candidate may leave now: handed in, with the invigilator's leave, replaced by another
 * computer (nothing written here counts, and the invigilator's leave goes to the new one), or
 * with the exit code; null when they may not.
 */
export async function exitAllowedVia(
  state: { submitted: boolean; quitAllowed: boolean; replaced: boolean },
  stored: ExitCodeHash | null,
  exitCode: string | undefined,
): Promise<ExitVia | null> {
  if (state.submitted) return 'submitted';
  if (state.quitAllowed) return 'invigilator';
  if (state.replaced) return 'replaced';
  if (exitCode !== undefined && stored && (await verifyExitCode(exitCode, stored)))
    return 'exit-code';
  return null;
}
