import { isAbsolute, resolve } from 'node:path';

/**
 * Refuses launches that would let someone inspect or drive the exam from outside: debugging
 * switches in any spelling Chromium accepts, any other switch outside a short allowlist, and
 * environment variables that turn Electron into Node or make it log. The packaged build's fuses
 * disable some of these too (`EnableNodeCliInspectArguments`, `RunAsNode`, `NODE_OPTIONS`);
 * the guard covers the rest and says plainly why Vakt will not start.
 */

/** Chromium's own parser, as Electron exposes it (`app.commandLine`). */
export interface SwitchReader {
  hasSwitch(name: string): boolean;
}

export interface LaunchFacts {
  argv: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  platform: NodeJS.Platform;
  commandLine: SwitchReader;
  /**
   * A development build started by a test driver (Playwright attaches through `--inspect` and
   * `--remote-debugging-port`) may debug; a packaged build never may.
   */
  allowDebugging: boolean;
  /**
   * The folder Vakt's own executable is in (real path). An AppImage's runtime points
   * LD_LIBRARY_PATH at libraries inside it; anywhere else is code of someone's choosing.
   */
  execDir?: string;
}

/**
 * Switches that attach a debugger, run scripts or turn off the sandbox: refused by name in a
 * packaged build; a development build run by a test driver needs them (and `--no-sandbox` when
 * the tests run as root in a container).
 */
const DEVELOPMENT_ONLY = [
  'no-sandbox',
  'inspect',
  'inspect-brk',
  'inspect-port',
  'inspect-publish-uid',
  'inspect-brk-node',
  'remote-debugging-port',
  'remote-debugging-pipe',
  'remote-debugging-address',
  'remote-allow-origins',
  'js-flags',
];
/** Switches that weaken the exam's isolation or its network whatever the build. */
const ALWAYS_REFUSED = [
  'disable-web-security',
  'ignore-certificate-errors',
  'proxy-server',
  'proxy-pac-url',
  'host-rules',
  'host-resolver-rules',
  'load-extension',
  'enable-logging',
  'v',
  'vmodule',
  'user-agent',
  'disable-renderer-backgrounding',
  'remote-debugging-targets',
];

/**
 * What a packaged Vakt is ever started with: `--updated` after an update installs, and macOS's
 * old process serial number (`-psn_0_123`). Development builds also take a user data folder and
 * a password store (the end-to-end tests use both).
 */
const ALLOWED = [/^updated$/, /^psn_\d+_\d+$/];
const ALLOWED_IN_DEVELOPMENT = [/^user-data-dir$/, /^password-store$/];

/**
 * Environment that makes Electron run as Node, load code (the dynamic loaders' preload and
 * library paths, GTK's modules), or log what it does.
 */
const REFUSED_ENV = [
  'LD_PRELOAD',
  'LD_AUDIT',
  'DYLD_INSERT_LIBRARIES',
  'DYLD_LIBRARY_PATH',
  'DYLD_FRAMEWORK_PATH',
  'GTK_PATH',
  'GTK_EXE_PREFIX',
  'GTK_IM_MODULE_FILE',
  'GIO_EXTRA_MODULES',
  'GDK_PIXBUF_MODULE_FILE',
  'ELECTRON_RUN_AS_NODE',
  'NODE_OPTIONS',
  'NODE_DEBUG',
  'ELECTRON_ENABLE_LOGGING',
  'ELECTRON_LOG_FILE',
  'ELECTRON_DEBUG_NOTIFICATIONS',
  'ELECTRON_ENABLE_STACK_DUMPING',
  'ELECTRON_DEFAULT_ERROR_MODE',
];

export type LaunchRefusal =
  { kind: 'switch'; name: string } | { kind: 'environment'; name: string };

/**
 * The switch's name as Chromium reads it, or null when `arg` is not a switch: `--x`, `-x` and,
 * on Windows, `/x`; lower-cased on Windows as Chromium does; without any `=value`.
 */
export function switchName(arg: string, platform: NodeJS.Platform): string | null {
  const prefix = /^(--|-)/.exec(arg) ?? (platform === 'win32' ? /^\//.exec(arg) : null);
  if (!prefix || arg.length === prefix[0].length) return null;
  // "--" alone ends the switches; what follows is positional.
  const name = arg.slice(prefix[0].length).split('=')[0] ?? '';
  return platform === 'win32' ? name.toLowerCase() : name;
}

/** Why Vakt must not start as launched, or null when it may. */
export function refusedLaunch(facts: LaunchFacts): LaunchRefusal | null {
  const refused = facts.allowDebugging ? ALWAYS_REFUSED : [...DEVELOPMENT_ONLY, ...ALWAYS_REFUSED];
  for (const name of refused) {
    if (facts.commandLine.hasSwitch(name)) return { kind: 'switch', name };
  }
  const allowed = facts.allowDebugging ? [...ALLOWED, ...ALLOWED_IN_DEVELOPMENT] : ALLOWED;
  // argv[0] is the executable; everything after "--" is positional.
  const args = facts.argv.slice(1);
  const end = args.indexOf('--');
  for (const arg of end === -1 ? args : args.slice(0, end)) {
    const name = switchName(arg, facts.platform);
    if (name === null) continue;
    const lower = name.toLowerCase();
    if (facts.allowDebugging && DEVELOPMENT_ONLY.includes(lower)) continue;
    if (!allowed.some((pattern) => pattern.test(lower))) return { kind: 'switch', name };
  }
  for (const name of REFUSED_ENV) {
    if (facts.env[name] !== undefined && facts.env[name] !== '')
      return { kind: 'environment', name };
  }
  return refusedLoading(facts.env, facts.execDir);
}

/**
 * GTK modules the desktops load themselves (screen readers' bridge, menus, sounds): allowed,
 * since refusing them would lock out a candidate who uses a screen reader. Any other is code.
 */
const DESKTOP_GTK_MODULES = new Set([
  'gail',
  'atk-bridge',
  'canberra-gtk-module',
  'xapp-gtk3-module',
  'appmenu-gtk-module',
  'unity-gtk-module',
  'pk-gtk-module',
  'window-decorations-gtk-module',
  'colorreload-gtk-module',
]);

/**
 * Library paths and GTK modules that would load code of someone's choosing: LD_LIBRARY_PATH
 * with anything but folders inside Vakt's own (an AppImage's runtime points it there; an
 * empty entry is the working folder, `;` separates too, `..` is resolved first), GTK modules
 * the desktops do not load themselves.
 */
function refusedLoading(env: LaunchFacts['env'], execDir?: string): LaunchRefusal | null {
  const libraries = env.LD_LIBRARY_PATH;
  if (libraries !== undefined && libraries !== '') {
    const inside = (entry: string) =>
      execDir !== undefined &&
      isAbsolute(entry) &&
      !entry.includes('$') &&
      resolve(entry).startsWith(execDir.endsWith('/') ? execDir : `${execDir}/`);
    if (!libraries.split(/[:;]/).every(inside))
      return { kind: 'environment', name: 'LD_LIBRARY_PATH' };
  }
  for (const name of ['GTK_MODULES', 'GTK3_MODULES']) {
    const modules = env[name];
    if (modules && !modules.split(/[:;]/).every((m) => m === '' || DESKTOP_GTK_MODULES.has(m)))
      return { kind: 'environment', name };
  }
  return null;
}

/** The one line Vakt prints before it exits. */
export function refusalMessage(refusal: LaunchRefusal): string {
  return refusal.kind === 'switch'
    ? `Vakt will not start with the switch "${refusal.name}": it could let the exam be inspected or changed. Start Vakt without it.`
    : `Vakt will not start while ${refusal.name} is set: it could let the exam be inspected or changed. Unset it and start Vakt again.`;
}
