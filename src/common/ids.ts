import { z } from 'zod';

/** Identifiers shared by the API, the journal and IPC. */
export const sha256HexSchema = z
  .string()
  .regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex characters (a SHA-256 hash)');

/** A journal's identity: a random UUID the client creates at sign-in. */
export const journalIdSchema = z.uuid({ message: 'must be a UUID' });

/** Question and option ids in exam content: short, URL- and file-safe. */
export const contentIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'must be 1–64 letters, digits, "-" or "_"');

/** Milliseconds since the Unix epoch, as an integer. */
export const epochMsSchema = z.int().nonnegative();

/**
 * A sync nonce the server issues with each acknowledgement: 16 bytes, hex. Opaque to clients;
 * the server reads its order and time of issue back under its own key (server/sync-nonces.ts).
 */
export const nonceSchema = z.string().regex(/^[0-9a-f]{32}$/, 'must be 32 hex characters');
