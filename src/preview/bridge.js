/* global URLSearchParams, location, sessionStorage, history, document, fetch, EventSource, window */
// The preview's stand-in for the preload: window.vakt forwards each call to the client
// services running in Node on loopback, with the per-run token from the page's address.
// Served only by the preview server; the packaged app never contains it.
(() => {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('token');
  if (fromHash) sessionStorage.setItem('vakt-preview-token', fromHash);
  const token = fromHash ?? sessionStorage.getItem('vakt-preview-token') ?? '';
  if (fromHash) history.replaceState(null, '', location.pathname);
  document.documentElement.dataset.preview = 'true';

  const call = (method) => async (request) => {
    try {
      const response = await fetch(`/__vakt/call/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-vakt-preview-token': token },
        body: JSON.stringify(request ?? {}),
      });
      return await response.json();
    } catch {
      return { ok: false, error: { code: 'internal', params: {} } };
    }
  };
  // The IPC table's methods (src/common/ipc.ts), filled in by the preview server as it serves
  // this file, so the bridge can never offer a different set than the preload does.
  const methods = [/* IPC_METHODS */];
  const vakt = Object.fromEntries(methods.map((method) => [method, call(method)]));
  vakt.onEvent = (listener) => {
    const source = new EventSource(`/__vakt/events?token=${encodeURIComponent(token)}`);
    source.onmessage = (message) => listener(JSON.parse(message.data));
    return () => source.close();
  };
  window.vakt = vakt;
})();
