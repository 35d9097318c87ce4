import { contextBridge, ipcRenderer } from 'electron';

import type { IpcMethod, PushEvent, VaktApi } from '../common/ipc';
import { EVENT_CHANNEL, IPC_CHANNEL_NAMES } from '../common/ipc-channels';

/** Named functions only; the renderer never sees ipcRenderer. Main validates every payload. */
function call<M extends IpcMethod>(method: M): VaktApi[M] {
  // invoke() is untyped; main answers every channel with the IpcResult its table names.
  return ((request: unknown) =>
    ipcRenderer.invoke(IPC_CHANNEL_NAMES[method], request)) as VaktApi[M];
}

const api = {
  getState: call('getState'),
  getExam: call('getExam'),
  getSignInDefaults: call('getSignInDefaults'),
  signIn: call('signIn'),
  startExam: call('startExam'),
  getPreflight: call('getPreflight'),
  saveAnswer: call('saveAnswer'),
  submit: call('submit'),
  closeProgram: call('closeProgram'),
  exportHandIn: call('exportHandIn'),
  requestExit: call('requestExit'),
  readMessage: call('readMessage'),
  raiseHand: call('raiseHand'),
  lowerHand: call('lowerHand'),
  keepPlace: call('keepPlace'),
  clipboard: call('clipboard'),
  onEvent(listener: (event: PushEvent) => void): () => void {
    const wrapped = (_event: unknown, payload: PushEvent) => listener(payload);
    ipcRenderer.on(EVENT_CHANNEL, wrapped);
    return () => ipcRenderer.removeListener(EVENT_CHANNEL, wrapped);
  },
} satisfies VaktApi;

contextBridge.exposeInMainWorld('vakt', api);
