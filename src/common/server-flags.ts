/**
 * What the server flags by itself, for an invigilator to review; never a sanction. The server
 * gives each its severity (src/server/sync/severity.ts), the dashboard its words.
 */
export const SERVER_FLAG_KINDS = [
  'answer.after-submission',
  'answer.after-deadline',
  'answer.from-replaced-device',
  'records.quarantined',
  'records.over-quota',
  'hand-in.quarantined',
  'submission.mismatch',
] as const;
export type ServerFlagKind = (typeof SERVER_FLAG_KINDS)[number];
