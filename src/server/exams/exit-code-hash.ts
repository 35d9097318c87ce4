import { randomBytes, scrypt } from 'node:crypto';

import { EXIT_CODE_SCRYPT, type ExitCodeHash } from '../../common/policy';

/** Shorter codes fall to an offline search in hours even at the scrypt floor. */
export const MIN_EXIT_CODE_LENGTH = 6;

export class ExitCodeError extends Error {
  override name = 'ExitCodeError';
}

/**
 * The exam policy's `exitCode` for `code`: scrypt at the policy's floor with a fresh salt.
 * Refuses codes shorter than 6 characters or made of one repeated character.
 */
export function hashExitCode(code: string): Promise<ExitCodeHash> {
  const trimmed = code.trim();
  if ([...trimmed].length < MIN_EXIT_CODE_LENGTH) {
    return Promise.reject(
      new ExitCodeError(`The exit code must be at least ${MIN_EXIT_CODE_LENGTH} characters.`),
    );
  }
  if (new Set(trimmed).size === 1) {
    return Promise.reject(new ExitCodeError('The exit code must not be one character repeated.'));
  }
  const salt = randomBytes(16);
  const { N, r, p } = EXIT_CODE_SCRYPT;
  return new Promise((resolve, reject) => {
    scrypt(trimmed, salt, 32, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 }, (error, hash) => {
      if (error) reject(error);
      else
        resolve({
          algorithm: 'scrypt',
          N,
          r,
          p,
          salt: salt.toString('hex'),
          hash: hash.toString('hex'),
        });
    });
  });
}
