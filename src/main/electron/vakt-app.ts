import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import {
  app,
  BrowserWindow,
  clipboard,
  ipcMain,
  Menu,
  net,
  powerMonitor,
  powerSaveBlocker,
  safeStorage,
  screen,
  session as electronSession,
  type WebContents,
} from 'electron';

import type { EventKind, EventPayload } from '../../common/events';
import {
  EVENT_CHANNEL,
  IPC_CHANNELS,
  type IpcMethod,
  type PushEvent,
  type SignInDefaults,
} from '../../common/ipc';
import type { LifecyclePhase } from '../../common/session-phase';
import { appResponse } from '../app-protocol';
import { signedOutState } from '../client-state';
import { nodeFs } from '../fs-port';
import { dispatcherFor, IpcFailure, type IpcHandlers } from '../ipc-dispatch';
import { linkInArgv, readLaunchLink } from '../launch-link';
import { Lockdown } from '../lockdown/lockdown';
import { watchPower } from '../lockdown/power';
import { logged, type Logger } from '../logger';
import type { SettingsVerdict } from '../managed/effective-settings';
import { deviceReaderFor } from '../monitor/device-os';
import type { ExamMonitors } from '../monitor/exam-monitors';
import { monitorThisComputer } from '../monitor/this-computer';
import { monitoredSession } from '../monitored-session';
import { SafeStorageKeys } from '../safe-storage-keys';
import type { ExamSession } from '../session/exam-session';
import { sessionDir } from '../session/session-file';
import { ServerApi } from '../sync/server-api';
import { UpdateGate } from '../update/update-gate';

import { guardSession, guardWebContents, kioskWindowOptions } from './kiosk-window';
import { electronUpdater, updateVerifier } from './updater';

export interface VaktAppOptions {
  /** Where main.js is: the preload and the renderer are beside it. */
  here: string;
  /** No developer tools; a development build has them unless a test asks for these rules. */
  production: boolean;
  /** The settings to run with (managed over the profile), or what IT must fix first. */
  settings: SettingsVerdict;
  /** A development build's local server (`npm start`, tests); never in a packaged build. */
  serverOverride: { url: string; publicKey: string } | null;
  logger: Logger;
}

/** How often Windows is asked for the battery (each read starts PowerShell). */
const WINDOWS_DEVICE_READ_MS = 120_000;
/**
 * The Electron client, built and started in order (as Bitwarden desktop's `Main`): the web
 * guards every web contents gets; the window and the lockdown that follows the session's
 * phases; the exam session with its monitors and IPC; sleep and lock-screen events; `vakt://`
 * links. Everything it holds is its own; main.ts only checks the launch and starts it.
 */
export class VaktApp {
  private readonly window: BrowserWindow;
  private readonly lockdown: Lockdown;
  private readonly keys: SafeStorageKeys;
  private readonly dataDir = join(app.getPath('userData'), 'exams');
  private readonly serverUrl: string | null;
  private readonly publicKeys: readonly string[];
  private session: ExamSession | null = null;
  private monitors: ExamMonitors | null = null;
  /** Set once the session says the candidate may leave; until then closing is refused. */
  private exitAllowed = false;
  private linkedExamCode: string | null = null;
  private readonly updates: UpdateGate | null;
  /** What the update feed offers in manual mode, for the sign-in screen to say. */
  private offeredVersion: string | null = null;
  private keyWarnedFor: string | null = null;

  constructor(private readonly options: VaktAppOptions) {
    const { production, settings, serverOverride } = options;
    const effective = settings.ok ? settings.settings : null;
    this.serverUrl = serverOverride?.url ?? effective?.serverUrl ?? null;
    this.publicKeys = serverOverride
      ? [serverOverride.publicKey]
      : (effective?.serverPublicKeys ?? []);
    this.keys = new SafeStorageKeys(safeStorage, nodeFs, (id) => sessionDir(this.dataDir, id));

    guardSession(electronSession.defaultSession);
    if (effective?.proxyServer) {
      void electronSession.defaultSession.setProxy({ proxyRules: effective.proxyServer });
    }
    app.on('web-contents-created', (_event, contents) => this.guard(contents));
    this.window = new BrowserWindow(
      kioskWindowOptions({ preloadPath: join(options.here, '../preload/index.cjs'), production }),
    );
    const onQuit = (listener: () => void) =>
      app.on('quit', (_event, exitCode) => {
        if (exitCode === 0) listener();
      });
    const updater = effective && !serverOverride ? electronUpdater(effective.update, onQuit) : null;
    this.updates =
      updater && effective
        ? new UpdateGate(
            updater,
            effective.update.mode,
            options.logger,
            (version) => {
              options.logger.warn(`version ${version} is available; the candidate is told`);
              this.offeredVersion = version;
              this.push({ type: 'sign-in-defaults', defaults: this.signInDefaults() });
            },
            updateVerifier(effective.update, (url) => net.fetch(url)),
          )
        : null;
    this.lockdown = new Lockdown({
      window: this.window,
      removeApplicationMenu: () => Menu.setApplicationMenu(null),
      powerSaveBlocker,
      clipboard,
      clearSelection: () => clipboard.selection?.clear(),
      setSpellCheck: (enabled) => electronSession.defaultSession.setSpellCheckerEnabled(enabled),
    });
  }

  async start(): Promise<void> {
    const { logger } = this.options;
    const handlers = await this.buildHandlers();
    this.registerIpc(handlers);
    watchPower(
      powerMonitor,
      (state) => this.record('power.changed', { state }),
      () => this.lockdown.reassert(),
    );
    this.followLinks(process.argv);
    this.window.on('leave-full-screen', () => this.lockdown.reassert());
    this.window.on('blur', () => void this.monitors?.current?.focus.blurred());
    this.window.on('focus', () => void this.monitors?.current?.focus.focused());
    this.window.on('close', (event) => {
      // Closing before submission needs the invigilator's leave or the exit code.
      if (this.exitAllowed || !this.session?.journalId) return;
      event.preventDefault();
      this.record('exit.attempted', { via: 'window-close' });
    });
    this.window.once('ready-to-show', () => this.window.show());
    app.on('before-quit', () => {
      void this.monitors?.stop();
      void this.session?.close().catch(logged(logger, 'closing the session'));
    });
    await this.window.loadURL('app://vakt/');
  }

  /** Serves the renderer from app://vakt with its CSP; call once the app is ready. */
  static serveRenderer(here: string, protocol: Electron.Protocol): void {
    const root = join(here, '../renderer');
    protocol.handle('app', (request) => appResponse(root, request.url, (path) => readFile(path)));
  }

  private guard(contents: WebContents): void {
    guardWebContents(
      contents,
      () => ({ platform: process.platform, copyPaste: this.lockdown.copyPasteAllowed }),
      { production: this.options.production },
    );
  }

  private async buildHandlers(): Promise<IpcHandlers> {
    const { logger } = this.options;
    const { settings } = this.options;
    const defaults = () => this.signInDefaults();
    if (!settings.ok) return notConfigured(defaults, 'managed-settings-invalid');
    if (!this.serverUrl || this.publicKeys.length === 0) {
      return notConfigured(defaults, 'not-configured');
    }
    const proxy = settings.settings.proxyServer;
    const api = new ServerApi({ baseUrl: this.serverUrl, ...(proxy ? { proxy } : {}) });
    const built = await monitoredSession({
      client: {
        api,
        dataDir: this.dataDir,
        keys: this.keys,
        clientVersion: app.getVersion(),
        pinnedPublicKeys: this.publicKeys,
        onState: (state) => this.push({ type: 'state', state }),
      },
      onPhase: (phase) => this.phase(phase),
      monitor: (pkg, session) =>
        monitorThisComputer(
          pkg,
          session,
          {
            getAllDisplays: () => screen.getAllDisplays(),
            on: (event, listener) => screen.on(event as 'display-added', listener),
          },
          logger,
        ),
      handInDir: () => app.getPath('documents'),
      signInDefaults: defaults,
      // Linux from sysfs (battery and network); macOS and Windows ask the OS for the battery.
      readDevice: deviceReaderFor(process.platform),
      // A PowerShell start costs a second of CPU: on Windows every 2 minutes, not every 30 s.
      ...(process.platform === 'win32' ? { deviceReadMs: WINDOWS_DEVICE_READ_MS } : {}),
      logger,
    });
    this.session = built.session;
    this.monitors = built.monitors;
    this.phase(built.session.state().phase);
    return built.handlers;
  }

  /**
   * Each phase the session announces: the lockdown follows it, a weak key store is noted, and
   * once the candidate may leave, Vakt quits (after a moment in which the window says so).
   */
  private phase(phase: LifecyclePhase): void {
    const session = this.session;
    this.updates?.follow(phase);
    if (phase === 'exiting' && !this.exitAllowed) {
      this.exitAllowed = true;
      setTimeout(() => app.quit(), 1_500);
    }
    this.lockdown.phase(phase, session?.examPackage?.policy ?? null);
    const journalId = session?.journalId ?? null;
    const backend = this.keys.unprotectedBackend();
    if (journalId && backend && this.keyWarnedFor !== journalId && phase !== 'signed-out') {
      this.keyWarnedFor = journalId;
      this.record('integrity.key-unprotected', { backend });
    }
  }

  /** Journals an event of the signed-in exam; nothing before sign-in. */
  private record<K extends EventKind>(kind: K, payload: EventPayload<K>): void {
    if (!this.session?.journalId) return;
    void this.session
      .record(kind, payload)
      .catch(logged(this.options.logger, `journaling ${kind}`));
  }

  /**
   * `vakt://` links: in argv at start and from a second start (Windows, Linux), as `open-url`
   * (macOS). A link for another server than the configured one is refused and logged.
   */
  private followLinks(argv: readonly string[]): void {
    const follow = (text: string | null) => {
      if (!text) return;
      const verdict = readLaunchLink(text, this.serverUrl);
      if (!verdict.ok) {
        this.options.logger.warn(`a vakt:// link was refused (${verdict.reason})`);
        return;
      }
      this.linkedExamCode = verdict.link.examCode;
      this.push({ type: 'sign-in-defaults', defaults: this.signInDefaults() });
    };
    follow(linkInArgv(argv));
    app.on('second-instance', (_event, secondArgv) => {
      follow(linkInArgv(secondArgv));
      if (this.window.isMinimized()) this.window.restore();
      this.window.focus();
    });
    app.on('open-url', (event, url) => {
      event.preventDefault();
      follow(url);
    });
  }

  /** The server the sign-in screen names, a linked exam code, and what IT must fix, if anything. */
  private signInDefaults(): SignInDefaults {
    const { settings } = this.options;
    return {
      server: this.serverUrl ? new URL(this.serverUrl).host : null,
      examCode: this.linkedExamCode,
      language: settings.ok && settings.settings.managedFrom ? settings.settings.language : null,
      configProblem: settings.ok ? null : settings.problem,
      updateAvailable: this.offeredVersion,
    };
  }

  private push(event: PushEvent): void {
    if (!this.window.isDestroyed()) this.window.webContents.send(EVENT_CHANNEL, event);
  }

  private registerIpc(handlers: IpcHandlers): void {
    for (const method of Object.keys(IPC_CHANNELS) as IpcMethod[]) {
      const dispatch = dispatcherFor(method, handlers, (name, error) =>
        this.options.logger.warn(`IPC ${name} failed`, error),
      );
      ipcMain.handle(IPC_CHANNELS[method].channel, (event, request: unknown) =>
        dispatch(event.senderFrame?.url, request),
      );
    }
  }
}

/**
 * Without a server and its key, or with managed settings IT must fix, Vakt can only say so (and
 * let the candidate close it).
 */
function notConfigured(
  defaults: IpcHandlers['getSignInDefaults'],
  code: 'not-configured' | 'managed-settings-invalid',
): IpcHandlers {
  const refuse = () => {
    throw new IpcFailure(code);
  };
  const state = signedOutState();
  return {
    getState: () => state,
    getExam: refuse,
    getSignInDefaults: defaults,
    signIn: refuse,
    startExam: refuse,
    getPreflight: refuse,
    saveAnswer: refuse,
    submit: refuse,
    closeProgram: refuse,
    exportHandIn: refuse,
    requestExit: () => ({ allowed: true }),
    readMessage: refuse,
    raiseHand: refuse,
    lowerHand: refuse,
    keepPlace: refuse,
    // No exam: nothing for the clipboard policy to keep out.
    clipboard: () => ({ allowed: true }),
  };
}
