/**
 * The weakest personal code an import accepts. A personal code is one of three sign-in
 * factors and the only secret one (exam codes are announced in the room, candidate numbers
 * are on lists), so it must withstand guessing spread over many addresses: at least 8
 * characters, 10 when only digits, not one character repeated, not the candidate number.
 */
export function personalCodeProblem(code: string, candidateNumber: string): string | null {
  if (code.length > 64) return 'personal_code must be at most 64 characters';
  if (code.length < 8) return 'personal_code must be at least 8 characters';
  if (/^\d+$/.test(code) && code.length < 10)
    return 'personal_code of digits only must be at least 10 digits';
  if (new Set(code).size < 3) return 'personal_code must not repeat one or two characters';
  if (code.toLowerCase().includes(candidateNumber.toLowerCase()))
    return 'personal_code must not contain the candidate number';
  return null;
}
