import { chmod, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { build, buildBinary } from 'plist';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { settingsSchema } from '../settings';

import { defaultUpdateMode, effectiveSettings } from './effective-settings';
import { LinuxManagedSource } from './linux-source';
import { MacManagedSource } from './macos-source';
import type { ManagedSource, StatPort } from './managed-source';
import { parseRegQuery, WindowsManagedSource } from './windows-source';

const KEY = 'ab'.repeat(32);
const NEXT = 'cd'.repeat(32);
const profile = settingsSchema.parse({
  serverUrl: 'http://evil.example.com',
  serverPublicKey: 'ef'.repeat(32),
  language: 'en',
});
const packaged = { packaged: true, perMachine: true };

/** Real files in a temporary folder; `asRoot` reports them as root's, as /etc would have them. */
let dir: string;
const realStat =
  (uid: number): StatPort =>
  async (path) => {
    try {
      const info = await stat(path);
      return { uid, mode: info.mode };
    } catch {
      return null;
    }
  };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vakt-managed-'));
  await chmod(dir, 0o755);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function linuxPolicy(text: string, mode = 0o644, uid = 0) {
  const path = join(dir, `policy-${Math.random().toString(16).slice(2)}.json`);
  await writeFile(path, text);
  await chmod(path, mode);
  return new LinuxManagedSource(
    realStat(uid),
    (p) => import('node:fs/promises').then((fs) => fs.readFile(p, 'utf8')),
    path,
  );
}

describe('managed settings on Linux (/etc/vakt/policy.json)', () => {
  it('win over the profile: the server, its keys, the language and updates', async () => {
    const source = await linuxPolicy(
      JSON.stringify({
        ServerUrl: 'https://exam.school.no',
        ServerPublicKeys: [KEY, NEXT.toUpperCase()],
        Language: 'nn',
        UpdateMode: 'manual',
      }),
    );
    expect(await effectiveSettings(source, profile, packaged)).toEqual({
      ok: true,
      settings: {
        serverUrl: 'https://exam.school.no',
        serverPublicKeys: [KEY, NEXT],
        language: 'nn',
        update: {
          mode: 'manual',
          channel: 'latest',
          feedUrl: 'https://exam.school.no/updates/',
          publicKeys: [],
        },
        proxyServer: null,
        managedFrom: expect.stringContaining('policy-') as string,
      },
    });
  });

  it('never take the server from the profile in a packaged build, and updates go to MDM', async () => {
    const none: ManagedSource = { read: () => Promise.resolve({ source: 'none', values: null }) };
    const verdict = await effectiveSettings(none, profile, packaged);
    expect(verdict).toMatchObject({
      ok: true,
      settings: { serverUrl: null, serverPublicKeys: [], language: 'en', update: { mode: 'none' } },
    });
    // A development build still reads the profile (npm start, tests).
    const dev = await effectiveSettings(none, profile, { packaged: false, perMachine: false });
    expect(dev).toMatchObject({
      ok: true,
      settings: { serverUrl: 'http://evil.example.com', update: { mode: 'auto' } },
    });
  });

  it.each([
    [0o664, 0, 'must not be writable by its group or others (mode 664)'],
    [0o646, 0, 'must not be writable by its group or others (mode 646)'],
    [0o644, 1000, 'must belong to root (uid 1000)'],
  ])('refuse a file with mode %s owned by uid %s', async (mode, uid, detail) => {
    const source = await linuxPolicy('{}', mode, uid);
    const verdict = await effectiveSettings(source, profile, packaged);
    expect(verdict).toMatchObject({ ok: false, problem: { key: null } });
    expect(verdict.ok || verdict.problem.detail).toContain(detail);
  });

  it.each([
    ['{"ServerUrl": "http://exam.school.no"}', 'ServerUrl', 'must be an https:// address'],
    [`{"ServerPublicKeys": ["${KEY.slice(2)}"]}`, 'ServerPublicKeys', 'must be 64 hex characters'],
    ['{"UpdateMode": "sometimes"}', 'UpdateMode', 'Invalid option'],
    ['{"ServerURL": "https://exam.school.no"}', 'ServerURL', 'unknown setting ServerURL'],
    ['{"ServerUrl": ', null, 'is not valid JSON'],
    ['["https://exam.school.no"]', null, 'must hold one JSON object'],
  ])('fail closed on %s, naming the key', async (text, key, detail) => {
    const verdict = await effectiveSettings(await linuxPolicy(text), profile, packaged);
    expect(verdict).toMatchObject({ ok: false, problem: { key } });
    expect(verdict.ok || verdict.problem.detail).toContain(detail);
  });
});

describe('managed settings on macOS (a configuration profile)', () => {
  const settings = { ServerUrl: 'https://exam.school.no', ServerPublicKeys: [KEY], Language: 'nb' };

  async function plistFile(bytes: Uint8Array | string, uid = 0) {
    const path = join(dir, `no.vakt.client-${Math.random().toString(16).slice(2)}.plist`);
    await writeFile(path, bytes);
    await chmod(path, 0o644);
    return new MacManagedSource(
      realStat(uid),
      (p) => import('node:fs/promises').then((fs) => fs.readFile(p)),
      path,
    );
  }

  it('reads binary and XML property lists alike', async () => {
    for (const bytes of [buildBinary(settings), build(settings)]) {
      const verdict = await effectiveSettings(await plistFile(bytes), profile, packaged);
      expect(verdict).toMatchObject({
        ok: true,
        settings: { serverUrl: 'https://exam.school.no', serverPublicKeys: [KEY], language: 'nb' },
      });
    }
  });

  it('leaves macOS bookkeeping out, and refuses a file a user owns or that does not parse', async () => {
    const withMcx = build({ ...settings, mcx_preference_settings: { x: 1 } });
    expect(await effectiveSettings(await plistFile(withMcx), profile, packaged)).toMatchObject({
      ok: true,
    });
    expect(
      await effectiveSettings(await plistFile(build(settings), 501), profile, packaged),
    ).toMatchObject({
      ok: false,
      problem: { detail: expect.stringContaining('must belong to root') as string },
    });
    expect(
      await effectiveSettings(await plistFile('<plist><dict><key>'), profile, packaged),
    ).toMatchObject({ ok: false, problem: { key: null } });
  });
});

describe('managed settings on Windows (HKLM\\SOFTWARE\\Policies\\Vakt)', () => {
  /** reg.exe's output for the key as Group Policy writes it. */
  const output = [
    '',
    'HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Vakt',
    '    ServerUrl    REG_SZ    https://exam.school.no',
    `    ServerPublicKeys    REG_MULTI_SZ    ${KEY}\\0${NEXT}`,
    '    Language    REG_SZ    nn',
    '    UpdateMode    REG_SZ    none',
    '',
  ].join('\r\n');

  it('offers Linux updates without installing them, unless IT says otherwise', () => {
    // electron-updater verifies no signature on Linux: a feed's sha512 is all it trusts.
    expect(defaultUpdateMode({ packaged: true, perMachine: false, platform: 'linux' })).toBe(
      'manual',
    );
    expect(defaultUpdateMode({ packaged: true, perMachine: false, platform: 'win32' })).toBe(
      'auto',
    );
    expect(defaultUpdateMode({ packaged: true, perMachine: true, platform: 'linux' })).toBe('none');
  });

  it('update Linux by themselves once IT pins a release key, which every update must then carry', async () => {
    const source = await linuxPolicy(
      JSON.stringify({ ServerUrl: 'https://exam.school.no', UpdatePublicKeys: [KEY] }),
    );
    const linux = { packaged: true, perMachine: false, platform: 'linux' as const };
    expect(await effectiveSettings(source, profile, linux)).toMatchObject({
      ok: true,
      settings: { update: { mode: 'auto', publicKeys: [KEY] } },
    });
    const bad = await linuxPolicy(JSON.stringify({ UpdatePublicKeys: ['aa'] }));
    expect(await effectiveSettings(bad, profile, linux)).toMatchObject({
      ok: false,
      problem: { key: 'UpdatePublicKeys' },
    });
  });

  it('reads strings and multi-strings from reg query', async () => {
    const source = new WindowsManagedSource(() =>
      Promise.resolve({ code: 0, stdout: output, stderr: '' }),
    );
    expect(
      await effectiveSettings(source, profile, { packaged: true, perMachine: false }),
    ).toMatchObject({
      ok: true,
      settings: { serverPublicKeys: [KEY, NEXT], language: 'nn', update: { mode: 'none' } },
    });
  });

  it('takes a key list written as one comma-separated REG_SZ', () => {
    const values = parseRegQuery(`    ServerPublicKeys    REG_SZ    ${KEY}, ${NEXT}`, 'x');
    expect(values).toEqual({ ServerPublicKeys: `${KEY}, ${NEXT}` });
  });

  it('treats a missing key as nothing set, and a number where text belongs as wrong', async () => {
    const missing = new WindowsManagedSource(() =>
      Promise.resolve({
        code: 1,
        stdout: '',
        stderr: 'ERROR: The system was unable to find the specified registry key or value.',
      }),
    );
    expect(await effectiveSettings(missing, profile, packaged)).toMatchObject({
      ok: true,
      settings: { serverUrl: null, managedFrom: null },
    });
    const dword = new WindowsManagedSource(() =>
      Promise.resolve({ code: 0, stdout: '    Language    REG_DWORD    0x1', stderr: '' }),
    );
    expect(await effectiveSettings(dword, profile, packaged)).toMatchObject({
      ok: false,
      problem: { key: 'Language', source: 'HKLM\\SOFTWARE\\Policies\\Vakt' },
    });
  });
});
