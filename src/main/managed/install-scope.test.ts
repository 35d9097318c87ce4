import { describe, expect, it } from 'vitest';

import { isPerMachineInstall } from './install-scope';

describe('install scope', () => {
  const windows = {
    ProgramFiles: 'C:\\Program Files',
    'ProgramFiles(x86)': 'C:\\Program Files (x86)',
  };

  it('tells a per-machine install from a per-user one on each OS', () => {
    expect(isPerMachineInstall('C:\\Program Files\\Vakt\\Vakt.exe', 'win32', windows)).toBe(true);
    expect(isPerMachineInstall('c:\\program files (x86)\\Vakt\\Vakt.exe', 'win32', windows)).toBe(
      true,
    );
    expect(
      isPerMachineInstall(
        'C:\\Users\\kari\\AppData\\Local\\Programs\\Vakt\\Vakt.exe',
        'win32',
        windows,
      ),
    ).toBe(false);
    expect(isPerMachineInstall('/Applications/Vakt.app/Contents/MacOS/Vakt', 'darwin', {})).toBe(
      true,
    );
    expect(
      isPerMachineInstall('/Users/kari/Applications/Vakt.app/Contents/MacOS/Vakt', 'darwin', {}),
    ).toBe(false);
    expect(isPerMachineInstall('/opt/Vakt/vakt', 'linux', {})).toBe(true);
    expect(isPerMachineInstall('/home/kari/Vakt.AppImage', 'linux', {})).toBe(false);
  });
});
