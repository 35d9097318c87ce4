import { runInNewContext } from 'node:vm';

import { describe, expect, it } from 'vitest';

import { IPC_CHANNELS } from '../common/ipc';

import { bridgeScript } from './preview-server';

describe('the preview bridge', () => {
  it("offers exactly the IPC table's methods, as the preload does", async () => {
    const window: Record<string, unknown> = {};
    const page = {
      window,
      location: { hash: '#token=t', pathname: '/' },
      URLSearchParams,
      sessionStorage: { setItem: () => undefined, getItem: () => null },
      history: { replaceState: () => undefined },
      document: { documentElement: { dataset: {} } },
      fetch: () => Promise.reject(new Error('no network here')),
      EventSource: class {},
    };
    runInNewContext(await bridgeScript(), page);
    const vakt = window.vakt as Record<string, unknown>;
    expect(Object.keys(vakt).sort()).toEqual([...Object.keys(IPC_CHANNELS), 'onEvent'].sort());
  });
});
