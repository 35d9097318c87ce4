import { z } from 'zod';

/**
 * The closed list of sync refusals and what the client does about each. `fork`, `chain` and
 * `nonce` put the refused records in the server's quarantine (nothing is lost) and flag the
 * candidate. Stopping uploads never stops the candidate answering.
 */
export const REFUSAL_ACTIONS = {
  gap: 'resend-from-expected-seq',
  token: 'sign-in-again',
  'config-key': 'stop-and-fetch-exam-again',
  'client-too-old': 'stop-and-update-client',
  'too-large': 'split-batch',
  fork: 'stop-and-contact-invigilator',
  chain: 'stop-and-contact-invigilator',
  nonce: 'stop-and-contact-invigilator',
  /** The journal holds more than the server keeps for one (quotas.ts); nothing is lost. */
  quota: 'stop-and-contact-invigilator',
} as const;

export type RefusalCode = keyof typeof REFUSAL_ACTIONS;
export type RefusalAction = (typeof REFUSAL_ACTIONS)[RefusalCode];
export const REFUSAL_CODES = Object.keys(REFUSAL_ACTIONS) as RefusalCode[];

/** Refusals after which the client must not retry the same upload on its own. */
export function isPermanentRefusal(code: RefusalCode): boolean {
  return code !== 'gap' && code !== 'too-large';
}

const message = z.string().max(500);

/** The body of every refused sync request (HTTP 409, 401, 403, 413 or 426 by code). */
export const refusalSchema = z.discriminatedUnion('code', [
  z.strictObject({ code: z.literal('gap'), message, expectedSeq: z.int().positive() }),
  z.strictObject({ code: z.literal('token'), message }),
  z.strictObject({ code: z.literal('config-key'), message }),
  z.strictObject({
    code: z.literal('client-too-old'),
    message,
    minimumVersion: z.string().max(50),
  }),
  z.strictObject({ code: z.literal('too-large'), message, maxRecords: z.int(), maxBytes: z.int() }),
  z.strictObject({ code: z.literal('fork'), message, seq: z.int().positive() }),
  z.strictObject({ code: z.literal('chain'), message, seq: z.int().positive() }),
  z.strictObject({ code: z.literal('nonce'), message }),
  z.strictObject({ code: z.literal('quota'), message, limitBytes: z.int() }),
]);
export type Refusal = z.infer<typeof refusalSchema>;

export const REFUSAL_HTTP_STATUS: Record<RefusalCode, number> = {
  gap: 409,
  token: 401,
  'config-key': 403,
  'client-too-old': 426,
  'too-large': 413,
  fork: 409,
  chain: 409,
  nonce: 409,
  quota: 413,
};
