import log from 'electron-log/main';
import updaterModule from 'electron-updater';

import type { EffectiveSettings } from '../managed/effective-settings';
import { quitInstaller } from '../update/quit-installer';
import type { UpdaterPort, VerifyUpdate } from '../update/update-gate';
import { signatureFetcher, verifyDownloads } from '../update/update-signature';

/**
 * electron-updater with the generic provider, pointed at the managed feed (the exam server's
 * /updates/ unless IT names another). It never downloads or installs by itself: the gate says
 * when (`UpdateGate`). On Windows it checks the installer's publisher (electron-builder.yml's
 * `publisherName`) before installing.
 */
export function electronUpdater(
  update: EffectiveSettings['update'],
  onQuit: (listener: () => void) => void,
): UpdaterPort | null {
  if (update.mode === 'none' || !update.feedUrl) return null;
  const { autoUpdater } = updaterModule;
  autoUpdater.logger = log;
  autoUpdater.autoDownload = false;
  autoUpdater.autoInstallOnAppQuit = false;
  const installOnQuit = quitInstaller(autoUpdater, onQuit);
  autoUpdater.allowDowngrade = false;
  autoUpdater.setFeedURL({ provider: 'generic', url: update.feedUrl, channel: update.channel });
  return {
    check: async () => {
      const result = await autoUpdater.checkForUpdates();
      return result?.isUpdateAvailable ? result.updateInfo.version : null;
    },
    download: () => autoUpdater.downloadUpdate(),
    setInstallOnQuit: installOnQuit,
  };
}

/**
 * With release keys pinned (`UpdatePublicKeys`), every downloaded file must carry a valid
 * `<file>.sig` from the feed before it may be installed; `fetchFn` is Electron's net.fetch, so
 * the managed proxy applies. Null when no key is pinned.
 */
export function updateVerifier(
  update: EffectiveSettings['update'],
  fetchFn: (url: string) => Promise<Response>,
): VerifyUpdate | null {
  if (update.publicKeys.length === 0 || !update.feedUrl) return null;
  const fetchSignature = signatureFetcher(update.feedUrl, fetchFn);
  return (files, version) => verifyDownloads(files, version, update.publicKeys, fetchSignature);
}
