import { describe, expect, it } from 'vitest';

import { quitInstaller, type InstallingUpdater } from './quit-installer';

describe('installing an update on quit', () => {
  it('installs on Windows and Linux only if the gate allowed it when Vakt quits', () => {
    const installs: boolean[][] = [];
    const updater: InstallingUpdater = {
      autoInstallOnAppQuit: false,
      install: (silent = false, runAfter = false) => installs.push([silent, runAfter]) > 0,
    };
    const quits: (() => void)[] = [];
    const setInstall = quitInstaller(updater, (listener) => quits.push(listener));
    // electron-updater's own handler is never armed: it would install before the signature check.
    expect(updater.autoInstallOnAppQuit).toBe(false);
    quits.forEach((quit) => quit());
    expect(installs).toEqual([]);
    setInstall(true);
    setInstall(false); // an exam started
    quits.forEach((quit) => quit());
    expect(installs).toEqual([]);
    setInstall(true);
    quits.forEach((quit) => quit());
    expect(installs).toEqual([[true, false]]);
    expect(updater.autoInstallOnAppQuit).toBe(false);
  });

  it('leaves macOS (no install method) to Squirrel’s flag', () => {
    const updater: InstallingUpdater = { autoInstallOnAppQuit: false };
    const setInstall = quitInstaller(updater, () => {
      throw new Error('no quit handler on macOS');
    });
    setInstall(true);
    expect(updater.autoInstallOnAppQuit).toBe(true);
  });
});
