import { randomInt } from 'node:crypto';

import type { ImportRowProblem } from '../../common/staff-api';

/**
 * The weakest personal code an import accepts. A personal code is one of three sign-in
 * factors and the only secret one (exam codes are announced in the room, candidate numbers
 * are on lists), so it must withstand guessing spread over many addresses: at least 8
 * characters, 10 when only digits, not one character repeated, not the candidate number.
 */
export function personalCodeProblem(
  code: string,
  candidateNumber: string,
): ImportRowProblem | null {
  if (code.length > 64) return 'personal-code-long';
  if (code.length < 8) return 'personal-code-short';
  if (/^\d+$/.test(code) && code.length < 10) return 'personal-code-digits';
  if (new Set(code).size < 3) return 'personal-code-repeats';
  if (code.toLowerCase().includes(candidateNumber.toLowerCase())) return 'personal-code-has-number';
  return null;
}

/** Letters and digits no one misreads on a slip of paper (no 0/O, 1/l/I, 5/S, 8/B). */
const SLIP_ALPHABET = 'abcdefghjkmnpqrtuvwxyz234679';

/**
 * A new personal code for a sign-in slip: ten characters from SLIP_ALPHABET in groups of four
 * (`k7mp-4qwt-3x`), about 48 bits: it passes personalCodeProblem for any candidate number.
 */
export function newPersonalCode(candidateNumber: string): string {
  for (;;) {
    const chars = Array.from(
      { length: 10 },
      () => SLIP_ALPHABET[randomInt(SLIP_ALPHABET.length)]!,
    ).join('');
    const code = `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8)}`;
    if (personalCodeProblem(code, candidateNumber) === null) return code;
  }
}
