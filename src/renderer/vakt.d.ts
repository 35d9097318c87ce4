import type { VaktApi } from '../common/ipc';

declare global {
  interface Window {
    /** Exposed by the preload; the renderer's only way to reach main. */
    vakt: VaktApi;
  }
}
