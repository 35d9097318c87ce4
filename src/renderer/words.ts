import type { IpcError } from '../common/ipc';

/**
 * The words for what main reports as codes (main never sends sentences). English only until the
 * candidate UI brings its languages; a code without words still says what it is.
 */
const ERROR_WORDS: Record<string, (params: IpcError['params']) => string> = {
  'wrong-credentials': () =>
    'The exam code, candidate number or personal code is not right. Check them, or ask the invigilator.',
  'too-many-attempts': () => 'Too many wrong tries. Wait a little, or ask the invigilator.',
  'exam-not-open': (params) =>
    typeof params.opensAt === 'number'
      ? `This exam opens at ${new Date(params.opensAt).toLocaleString()}.`
      : 'This exam is not open yet.',
  'exam-closed': () => 'This exam has closed.',
  'client-too-old': (params) =>
    `This version of Vakt is too old for the exam server: ask for version ${String(params.minimumVersion ?? 'a newer one')}.`,
  offline: () =>
    'Vakt cannot reach the exam server, and it needs it once to fetch the exam. Check the network and try again.',
  'not-configured': () =>
    'This copy of Vakt has no exam server configured. Ask the invigilator or IT.',
  'package-signature': () =>
    'The exam did not come from the expected server (its signature does not match). Tell the invigilator.',
  'package-mismatch': (params) =>
    `The server sent the exam for ${String(params.examCode)}, candidate ${String(params.candidateNumber)}, not the one you signed in as. Tell the invigilator.`,
  'signed-in': () => 'Someone else is already signed in here.',
};

export function errorWords(error: IpcError): string {
  return ERROR_WORDS[error.code]?.(error.params) ?? `Vakt could not do that (${error.code}).`;
}
