import { HandInError, openHandIn, type HandInContent } from '../../common/hand-in';

/**
 * Parses and opens an uploaded hand-in file: JSON, decryption and the schema check of every
 * record. Runs in a worker thread (hand-in-worker.mjs), since a large file would otherwise
 * hold the event loop — and every candidate's upload — for seconds.
 */
export function openHandInBytes(bytes: Uint8Array, secretKeyHex: string): HandInContent {
  let file: unknown;
  try {
    file = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new HandInError('This is not a Vakt hand-in file (it is not JSON).');
  }
  return openHandIn(file, secretKeyHex);
}
