import { describe, expect, it } from 'vitest';

import { refusalMessage, refusedLaunch, switchName, type LaunchFacts } from './launch-guard';

/**
 * A stand-in for Chromium's parser: it knows the switches the fake command line was given in
 * Chromium's own spellings (dashes, and on Windows a slash and any case), up to a "--".
 */
function launch(argv: string[], overrides: Partial<LaunchFacts> = {}): LaunchFacts {
  const platform = overrides.platform ?? 'linux';
  const end = argv.indexOf('--');
  const names = new Set(
    argv.slice(1, end === -1 ? undefined : end).flatMap((arg) => {
      const name = switchName(arg, platform);
      return name === null ? [] : [name];
    }),
  );
  return {
    argv,
    env: {},
    platform,
    commandLine: { hasSwitch: (name) => names.has(name) },
    allowDebugging: false,
    ...overrides,
  };
}

describe('launch guard', () => {
  it.each([
    [['vakt', '--inspect'], 'inspect'],
    [['vakt', '--inspect=9229'], 'inspect'],
    [['vakt', '--inspect-brk=0.0.0.0:9229'], 'inspect-brk'],
    [['vakt', '--inspect-brk-node'], 'inspect-brk-node'],
    [['vakt', '--remote-debugging-port=9222'], 'remote-debugging-port'],
    [['vakt', '-remote-debugging-port=9222'], 'remote-debugging-port'],
    [['vakt', '--remote-debugging-pipe'], 'remote-debugging-pipe'],
    [['vakt', '--js-flags=--allow-natives-syntax'], 'js-flags'],
    [['vakt', '--no-sandbox'], 'no-sandbox'],
    [['vakt', '--proxy-server=127.0.0.1:8080'], 'proxy-server'],
    [['vakt', '--some-future-switch'], 'some-future-switch'],
  ])('refuses %j', (argv, name) => {
    expect(refusedLaunch(launch(argv))).toEqual({ kind: 'switch', name });
  });

  it('reads switches as Windows does: a slash, and any case', () => {
    const windows = { platform: 'win32' as const };
    expect(refusedLaunch(launch(['vakt.exe', '/remote-debugging-port=9222'], windows))).toEqual({
      kind: 'switch',
      name: 'remote-debugging-port',
    });
    expect(refusedLaunch(launch(['vakt.exe', '--Remote-Debugging-Port=9222'], windows))).toEqual({
      kind: 'switch',
      name: 'remote-debugging-port',
    });
    // A slash is a path elsewhere, not a switch.
    expect(refusedLaunch(launch(['vakt', '/home/kari/notes.txt']))).toBeNull();
  });

  it('asks Chromium even when argv looks clean (a spelling the guard does not know)', () => {
    const facts = launch(['vakt'], { commandLine: { hasSwitch: (n) => n === 'js-flags' } });
    expect(refusedLaunch(facts)).toEqual({ kind: 'switch', name: 'js-flags' });
  });

  it('refuses library paths and GTK modules that load code, not those desktops set', () => {
    const refused = (env: Record<string, string>) => refusedLaunch(launch(['vakt'], { env }));
    const lib = (value: string, execDir = '/tmp/.mount_Vakt') =>
      refusedLaunch(launch(['vakt'], { env: { LD_LIBRARY_PATH: value }, execDir }));
    expect(lib('/home/student/evil')).toEqual({ kind: 'environment', name: 'LD_LIBRARY_PATH' });
    // An AppImage's runtime points it into the image itself, where Vakt's executable is.
    expect(lib('/tmp/.mount_Vakt/usr/lib')).toBeNull();
    for (const sneaky of [
      '/tmp/.mount_Vakt2/lib',
      '/tmp/.mount_Vakt/usr/lib:', // an empty entry: the working folder
      ':',
      '/tmp/.mount_Vakt/usr/lib;/home/student/evil', // glibc splits on ; too
      '/tmp/.mount_Vakt/../../home/student/evil',
      'lib', // relative: the working folder
    ])
      expect(lib(sneaky), sneaky).not.toBeNull();
    // Whatever APPDIR says: it is the caller's to set.
    expect(
      refusedLaunch(
        launch(['vakt'], {
          env: { APPDIR: '/home/student/x', LD_LIBRARY_PATH: '/home/student/x/lib' },
          execDir: '/tmp/.mount_Vakt',
        }),
      ),
    ).not.toBeNull();
    expect(refused({ GTK_MODULES: 'gail:atk-bridge' })).toBeNull();
    expect(refused({ GTK3_MODULES: 'xapp-gtk3-module' })).toBeNull();
    expect(refused({ GTK_MODULES: 'gail:/home/student/grab.so' })).toEqual({
      kind: 'environment',
      name: 'GTK_MODULES',
    });
  });

  it.each([
    'ELECTRON_RUN_AS_NODE',
    'NODE_OPTIONS',
    'ELECTRON_ENABLE_LOGGING',
    'LD_PRELOAD',
    'LD_AUDIT',
    'DYLD_INSERT_LIBRARIES',
    'GTK_EXE_PREFIX',
    'GIO_EXTRA_MODULES',
  ])('refuses %s in the environment', (name) => {
    expect(refusedLaunch(launch(['vakt'], { env: { [name]: '1' } }))).toEqual({
      kind: 'environment',
      name,
    });
  });

  it('lets ordinary launches, vakt:// links and the updater through', () => {
    expect(refusedLaunch(launch(['vakt']))).toBeNull();
    expect(refusedLaunch(launch(['vakt', 'vakt://exam.example.no/DEMO-1']))).toBeNull();
    expect(refusedLaunch(launch(['vakt', '--updated']))).toBeNull();
    expect(refusedLaunch(launch(['Vakt', '-psn_0_1234567'], { platform: 'darwin' }))).toBeNull();
    expect(refusedLaunch(launch(['vakt', '--', '--inspect']))).toBeNull();
  });

  it('lets a development build be driven by a test (and nothing else)', () => {
    const dev = { allowDebugging: true };
    const playwright = [
      'electron',
      '.',
      '--inspect=0',
      '--remote-debugging-port=0',
      '--no-sandbox',
    ];
    expect(refusedLaunch(launch([...playwright, '--user-data-dir=/tmp/x'], dev))).toBeNull();
    expect(refusedLaunch(launch([...playwright, '--proxy-server=x'], dev))).toEqual({
      kind: 'switch',
      name: 'proxy-server',
    });
    // A packaged build takes no user data folder.
    expect(refusedLaunch(launch(['vakt', '--user-data-dir=/tmp/x']))).toEqual({
      kind: 'switch',
      name: 'user-data-dir',
    });
  });

  it('explains a refusal in one line', () => {
    expect(refusalMessage({ kind: 'switch', name: 'inspect' })).toBe(
      'Vakt will not start with the switch "inspect": it could let the exam be inspected or changed. Start Vakt without it.',
    );
  });
});
