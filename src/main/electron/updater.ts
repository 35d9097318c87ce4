import log from 'electron-log/main';
import updaterModule from 'electron-updater';

import type { EffectiveSettings } from '../managed/effective-settings';
import type { UpdaterPort } from '../update/update-gate';

/**
 * electron-updater with the generic provider, pointed at the managed feed (the exam server's
 * /updates/ unless IT names another). It never downloads or installs by itself: the gate says
 * when (`UpdateGate`). On Windows it checks the installer's publisher (electron-builder.yml's
 * `publisherName`) before installing.
 */
export function electronUpdater(update: EffectiveSettings['update']): UpdaterPort | null {
  if (update.mode === 'none' || !update.feedUrl) return null;
  const { autoUpdater } = updaterModule;
  autoUpdater.logger = log;
  autoUpdater.autoDownload = false;
  autoUpdater.autoInstallOnAppQuit = false;
  autoUpdater.allowDowngrade = false;
  autoUpdater.setFeedURL({ provider: 'generic', url: update.feedUrl, channel: update.channel });
  return {
    check: async () => {
      const result = await autoUpdater.checkForUpdates();
      return result?.isUpdateAvailable ? result.updateInfo.version : null;
    },
    download: async () => {
      await autoUpdater.downloadUpdate();
    },
    setInstallOnQuit: (install) => {
      autoUpdater.autoInstallOnAppQuit = install;
    },
  };
}
