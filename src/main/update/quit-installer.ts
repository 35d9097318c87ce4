/** The parts of electron-updater's updater the quit installer uses. */
export interface InstallingUpdater {
  autoInstallOnAppQuit: boolean;
  /** BaseUpdater's (Windows, Linux): runs the downloaded installer now. */
  install?: (isSilent?: boolean, isForceRunAfter?: boolean) => boolean;
}

/**
 * Installing on quit, decided at quit time. electron-updater adds its own quit handler only if
 * `autoInstallOnAppQuit` is true when a download finishes — before Vakt has checked the
 * download's signature — so on Windows and Linux the flag stays false and Vakt installs from its
 * own handler (`onQuit`: Electron's `quit` with exit code 0), only once the gate says so. macOS
 * (Squirrel, which wants the flag during the download) keeps the flag.
 */
export function quitInstaller(
  updater: InstallingUpdater,
  onQuit: (listener: () => void) => void,
): (install: boolean) => void {
  const install = updater.install?.bind(updater);
  if (!install) {
    return (allowed) => {
      updater.autoInstallOnAppQuit = allowed;
    };
  }
  let allowed = false;
  onQuit(() => {
    if (allowed) install(true, false);
  });
  return (value) => {
    allowed = value;
  };
}
