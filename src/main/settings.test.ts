import { describe, expect, it } from 'vitest';

import { CrashFs } from '../../test/support/crash-fs';

import { FileSettings } from './settings';

describe('client settings', () => {
  it('starts from defaults and keeps what was set across a power cut', async () => {
    const fs = new CrashFs();
    const settings = new FileSettings(fs, '/cfg');
    expect(await settings.read()).toEqual({
      serverUrl: null,
      serverPublicKey: null,
      language: 'nb',
    });
    await settings.update({ serverUrl: 'https://exam.example.no/vakt', language: 'nn' });
    expect(await new FileSettings(fs.powerLoss(), '/cfg').read()).toEqual({
      serverUrl: 'https://exam.example.no/vakt',
      serverPublicKey: null,
      language: 'nn',
    });
  });

  it('refuses a bad value without changing anything', async () => {
    const fs = new CrashFs();
    const settings = new FileSettings(fs, '/cfg');
    await expect(settings.update({ serverUrl: 'ftp://exam.example.no' })).rejects.toThrow();
    await expect(settings.update({ language: 'de' as 'nb' })).rejects.toThrow();
    expect(await settings.read()).toEqual({
      serverUrl: null,
      serverPublicKey: null,
      language: 'nb',
    });
  });

  it('falls back to defaults when the file is damaged', async () => {
    const fs = new CrashFs();
    await fs.writeFileAtomic('/cfg/settings.json', Buffer.from('{"serverUrl": '));
    expect(await new FileSettings(fs, '/cfg').read()).toEqual({
      serverUrl: null,
      serverPublicKey: null,
      language: 'nb',
    });
  });
});
