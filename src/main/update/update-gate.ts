import type { UpdateMode } from '../../common/managed-settings';
import type { LifecyclePhase } from '../../common/session-phase';
import type { Logger } from '../logger';

import type { UpdateVerdict } from './update-signature';

/** electron-updater's autoUpdater as the gate drives it (a fake in tests). */
export interface UpdaterPort {
  /** The newer version the feed offers, or null when this one is current. */
  check(): Promise<string | null>;
  /** Downloads the update; the files it wrote. */
  download(): Promise<string[]>;
  /** Whether a downloaded update is installed when the app quits. */
  setInstallOnQuit(install: boolean): void;
}

/** Checks downloaded files of a version before they may be installed (update-signature.ts). */
export type VerifyUpdate = (files: string[], version: string) => Promise<UpdateVerdict>;

/** While these last, nothing is checked, downloaded or installed. */
const EXAM_RUNNING: readonly LifecyclePhase[] = [
  'preflight',
  'in-progress',
  'locked',
  'paused',
  'submitting',
];

/**
 * Updates that never interrupt an exam, driven by the session's phases. Between exams (signed
 * out, handed in, leaving) the feed is checked; in `auto` mode an update is downloaded and
 * installed when Vakt next quits; in `manual` mode it is only offered; in `none` (MDM updates
 * Vakt) nothing happens. From preflight until submission nothing is checked, downloaded or
 * installed, and an update downloaded before is held back until the exam is over. With update
 * keys pinned, a download is installed only once its signatures verify; a version with a wrong
 * signature is not downloaded again (one whose signature could not be fetched is, next time).
 */
export class UpdateGate {
  private examRunning = false;
  private checking: Promise<void> | null = null;
  private downloaded: string | null = null;
  private offered: string | null = null;
  private refused: string | null = null;

  constructor(
    private readonly updater: UpdaterPort,
    private readonly mode: UpdateMode,
    private readonly logger: Logger,
    private readonly onOffer: (version: string) => void = () => undefined,
    private readonly verify: VerifyUpdate | null = null,
  ) {
    updater.setInstallOnQuit(false);
  }

  /** The newer version waiting to be installed or offered, if any. */
  get pending(): string | null {
    return this.downloaded ?? this.offered;
  }

  follow(phase: LifecyclePhase): void {
    this.examRunning = EXAM_RUNNING.includes(phase);
    this.updater.setInstallOnQuit(!this.examRunning && this.downloaded !== null);
    if (!this.examRunning) void this.between();
  }

  /** Settles once a check (and download) under way has finished. */
  async settled(): Promise<void> {
    await this.checking;
  }

  private between(): Promise<void> {
    if (this.mode === 'none' || this.downloaded) return Promise.resolve();
    this.checking ??= this.checkOnce().finally(() => {
      this.checking = null;
    });
    return this.checking;
  }

  private async checkOnce(): Promise<void> {
    try {
      const version = await this.updater.check();
      if (!version || this.examRunning || version === this.refused) return;
      if (this.mode === 'manual') {
        this.offered = version;
        this.onOffer(version);
        return;
      }
      const files = await this.updater.download();
      const verdict = this.verify ? await this.verify(files, version) : { ok: true as const };
      if (!verdict.ok) {
        if (!verdict.retry) this.refused = version;
        this.logger.warn(`update ${version} refused: ${verdict.reason}`);
        return;
      }
      this.downloaded = version;
      // An exam may have started while it downloaded: install only once none runs.
      this.updater.setInstallOnQuit(!this.examRunning);
    } catch (error) {
      this.logger.warn('checking for an update failed', error);
    }
  }
}
