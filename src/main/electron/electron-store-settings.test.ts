import { describe, expect, it } from 'vitest';

import { ElectronStoreSettings, type KeyValueStore } from './electron-store-settings';

function fakeStore(): KeyValueStore & { data: Map<string, unknown> } {
  const data = new Map<string, unknown>();
  return { data, get: (key) => data.get(key), set: (key, value) => void data.set(key, value) };
}

describe('electron-store settings', () => {
  it('reads defaults, keeps valid changes and refuses bad ones', async () => {
    const store = fakeStore();
    const settings = new ElectronStoreSettings(store);
    expect(await settings.read()).toEqual({
      serverUrl: null,
      serverPublicKey: null,
      language: 'nb',
    });
    await settings.update({ language: 'en' });
    await expect(settings.update({ serverUrl: 'javascript:alert(1)' })).rejects.toThrow();
    expect(await settings.read()).toEqual({
      serverUrl: null,
      serverPublicKey: null,
      language: 'en',
    });
  });

  it('ignores a stored value that no longer fits the schema', async () => {
    const store = fakeStore();
    store.data.set('settings', { language: 'klingon' });
    expect(await new ElectronStoreSettings(store).read()).toEqual({
      serverUrl: null,
      serverPublicKey: null,
      language: 'nb',
    });
  });
});
