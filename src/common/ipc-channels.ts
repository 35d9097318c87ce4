/**
 * IPC channel names only, free of schemas, so the sandboxed preload stays tiny. The full
 * contract (payload schemas) is in ./ipc.ts, which is built on these names.
 */
export const IPC_CHANNEL_NAMES = {
  getState: 'vakt:get-state',
  getExam: 'vakt:get-exam',
  getSignInDefaults: 'vakt:get-sign-in-defaults',
  signIn: 'vakt:sign-in',
  startExam: 'vakt:start-exam',
  getPreflight: 'vakt:get-preflight',
  saveAnswer: 'vakt:save-answer',
  submit: 'vakt:submit',
  closeProgram: 'vakt:close-program',
  exportHandIn: 'vakt:export-hand-in',
  requestExit: 'vakt:request-exit',
  readMessage: 'vakt:read-message',
  raiseHand: 'vakt:raise-hand',
  lowerHand: 'vakt:lower-hand',
  keepPlace: 'vakt:keep-place',
  clipboard: 'vakt:clipboard',
} as const;

/** The one channel main pushes on. */
export const EVENT_CHANNEL = 'vakt:event';

/** The only origin whose frames may call main. */
export const APP_ORIGIN = 'app://vakt';
