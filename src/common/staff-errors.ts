/**
 * Every refusal the staff API sends, by code: a closed list the dashboard words in nb, nn and
 * en (locales.test.ts checks each, and that every code the server's staff routes throw is here).
 * Parameters travel as `params`; the English `message` stays for scripts.
 */
export const STAFF_ERROR_CODES = [
  'network',
  'signed-out',
  'forbidden',
  'not-found',
  'wrong-credentials',
  'too-many-attempts',
  'account-disabled',
  'last-admin',
  'exists',
  'already-submitted',
  'already-paused',
  'not-paused',
  'not-running',
  'paused',
  'exam-started',
  'candidate-started',
  'has-data',
  'invalid-window',
  'invalid-retention-date',
  'invalid-review-date',
  'invalid-policy',
  'invalid-request',
  'invalid-json',
  'nothing-to-approve',
  'unsupported-media-type',
  'bad-csv',
  'bad-hand-in',
  'wrong-exam',
  'unknown-candidate',
  'not-active',
  'too-large',
  'rate-limited',
  'busy',
  'cross-origin',
  'unavailable',
  'internal',
  'bad-request',
  'invalid-content-length',
] as const;
export type StaffErrorCode = (typeof STAFF_ERROR_CODES)[number];

export function isStaffErrorCode(code: string): code is StaffErrorCode {
  return (STAFF_ERROR_CODES as readonly string[]).includes(code);
}

/** Why a candidate file was refused whole (`bad-csv`'s `reason`). */
export const BAD_CSV_REASONS = ['not-utf8', 'unclosed-quote', 'invalid', 'columns'] as const;
