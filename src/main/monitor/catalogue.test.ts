import { describe, expect, it } from 'vitest';

import { PROCESS_CATEGORIES } from '../../common/events';
import { examPolicySchema, type ExamPolicyInput } from '../../common/policy';

import { normaliseName, ProgramClassifier, type MonitoredOs } from './catalogue';
import { builtInCatalogue } from './catalogue-data';

const catalogue = builtInCatalogue();
const classifier = (os: MonitoredOs, policy: ExamPolicyInput = {}) =>
  new ProgramClassifier(catalogue, examPolicySchema.parse(policy).processes, os);

describe('process catalogue', () => {
  it('holds well over 100 programs in every category, each with its source', () => {
    expect(catalogue.entries.length).toBeGreaterThan(150);
    const categories = new Set(catalogue.entries.map((entry) => entry.category));
    expect([...categories].sort()).toEqual([...PROCESS_CATEGORIES].sort());
    for (const os of ['win32', 'darwin', 'linux'] as const) {
      expect(catalogue.entries.filter((entry) => entry.names[os]).length).toBeGreaterThan(30);
    }
  });

  it('names each executable once per OS, so a name means one program', () => {
    for (const os of ['win32', 'darwin', 'linux'] as const) {
      const seen = new Map<string, string>();
      for (const entry of catalogue.entries) {
        for (const name of entry.names[os] ?? []) {
          const key = normaliseName(name, os);
          expect(seen.get(key), `${os} ${name}`).toBeUndefined();
          seen.set(key, entry.friendlyName);
        }
      }
    }
  });
});

describe('screenshot tools', () => {
  it.each([
    ['linux', 'xwd', 'xwd'],
    ['linux', 'import-im6.q16', 'ImageMagick import'],
    ['linux', 'convert', 'ImageMagick convert'],
    ['linux', 'magick', 'ImageMagick convert'],
    ['linux', 'gnome-screenshot', 'GNOME Screenshot'],
    ['linux', 'spectacle', 'Spectacle'],
    ['linux', 'flameshot', 'Flameshot'],
    ['linux', 'grim', 'grim'],
    ['win32', 'SnippingTool.exe', 'Snipping Tool'],
    ['win32', 'ScreenClippingHost.exe', 'Snipping Tool'],
    ['darwin', 'screencapture', 'macOS Screenshot'],
  ] as const)('on %s, %s is %s, a screen-capture program', (os, name, friendlyName) => {
    expect(classifier(os).classify(name)).toMatchObject({
      friendlyName,
      category: 'screen-capture',
      action: 'flag',
    });
  });
});

describe('remote desktop servers that share the running desktop', () => {
  it.each(['X0tigervnc', 'x0tigervncserver', 'x0vncserver', 'x11vnc'])(
    '%s is remote access',
    (name) => {
      expect(classifier('linux').classify(name)?.category).toBe('remote-access');
    },
  );
});

describe('matching rule', () => {
  it('matches the executable name case-insensitively, ignoring .exe on Windows only', () => {
    expect(classifier('win32').classify('ANYDESK.EXE')?.friendlyName).toBe('AnyDesk');
    expect(classifier('win32').classify('anydesk')?.friendlyName).toBe('AnyDesk');
    expect(classifier('linux').classify('AnyDesk')?.friendlyName).toBe('AnyDesk');
    expect(classifier('linux').classify('anydesk.exe')).toBeNull();
    expect(classifier('darwin').classify('zoom.us')?.category).toBe('communication');
  });

  it('matches a 15-character Linux comm to the longer name it begins, and nothing shorter', () => {
    const linux = classifier('linux');
    expect(linux.classify('simplescreenrec')?.friendlyName).toBe('SimpleScreenRecorder');
    expect(linux.classify('simplescreen')).toBeNull();
    expect(classifier('win32').classify('simplescreenrec')).toBeNull();
  });

  it('matches a 16-character macOS accounting name to the longer name it begins', () => {
    const darwin = classifier('darwin');
    expect(darwin.classify('Microsoft Remote')?.friendlyName).toBe('Remote Desktop Connection');
    expect(darwin.classify('Microsoft Remot')).toBeNull();
    expect(classifier('linux').classify('Microsoft Remote')).toBeNull();
  });

  it('knows nothing of programs outside the catalogue', () => {
    expect(classifier('linux').classify('bash')).toBeNull();
    expect(classifier('win32').classify('notepad.exe')).toBeNull();
  });

  it('applies category actions and rules, but never flags assistive technology', () => {
    const policy: ExamPolicyInput = {
      processes: {
        categoryActions: { communication: 'terminate' },
        rules: [
          { names: ['Zoom.exe'], friendlyName: 'Zoom', category: 'communication', action: 'allow' },
          { names: ['nvda.exe'], friendlyName: 'NVDA', category: 'automation', action: 'flag' },
          {
            names: ['calc.exe'],
            friendlyName: 'Calculator',
            category: 'automation',
            action: 'flag',
            os: ['win32'],
          },
        ],
      },
    };
    const windows = classifier('win32', policy);
    expect(windows.classify('Discord.exe')?.action).toBe('terminate');
    expect(windows.classify('Zoom.exe')?.action).toBe('allow');
    expect(windows.classify('nvda.exe')).toMatchObject({
      category: 'assistive-technology',
      action: 'allow',
    });
    expect(windows.classify('calc.exe')?.friendlyName).toBe('Calculator');
    expect(classifier('linux', policy).classify('calc')).toBeNull();
    expect(classifier('win32').classify('TeamViewer.exe')?.action).toBe('terminate');
    expect(classifier('win32').classify('chrome.exe')?.action).toBe('allow');
  });
});
