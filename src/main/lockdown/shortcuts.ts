/** The fields of Electron's `Input` that the filter reads. */
export interface KeyInput {
  type: string;
  key: string;
  /** The physical key ("KeyI"): on macOS, Option changes `key` (Cmd+Opt+I arrives as "ˆ"). */
  code?: string;
  control: boolean;
  meta: boolean;
  alt: boolean;
  shift: boolean;
}

export interface ShortcutPolicy {
  platform: NodeJS.Platform;
  /** The exam policy's `clipboard.allowWithinExam`, while the exam runs: copying is refused. */
  copyPaste: boolean;
}

const COMMANDS = ['r', 'w', 'q', 'p', 'n', 't', 'h', 'm', 's', 'o', 'u', '+', '=', '-', '0'];
const DEVTOOLS = ['i', 'j', 'c', 'r', 'delete'];

/**
 * The key a shortcut means: `key`, unless a modifier composed it into another character (macOS
 * Option), when the letter on the key cap (`code`) is what the shortcut means.
 */
function keyOf(input: KeyInput): string {
  const key = input.key.toLowerCase();
  if (key.length > 1 || /^[\x20-\x7e]$/.test(key)) return key;
  const letter = /^Key([A-Z])$/.exec(input.code ?? '');
  return letter ? letter[1]!.toLowerCase() : key;
}

/** AltGr on Windows arrives as Ctrl+Alt: with it, a printable character is typing ("@", "}"). */
function isAltGrTyping(input: KeyInput, platform: NodeJS.Platform): boolean {
  return (
    platform === 'win32' &&
    input.control &&
    input.alt &&
    !input.meta &&
    [...input.key].length === 1 &&
    !/^[a-z0-9]$/i.test(input.key)
  );
}

/**
 * Copy (or cut) and paste in every spelling: Ctrl/Cmd+C/X/V, Ctrl+Insert, Shift+Insert and
 * Shift+Delete; null for any other key.
 */
export function clipboardAction(input: KeyInput): 'copy' | 'paste' | null {
  const key = keyOf(input);
  const command = input.control || input.meta;
  if (command && (key === 'c' || key === 'x')) return 'copy';
  if (command && key === 'v') return 'paste';
  if (key === 'insert' && input.shift) return 'paste';
  if (key === 'insert' && input.control) return 'copy';
  if (key === 'delete' && input.shift && !command) return 'copy';
  return null;
}

/**
 * Whether a key press must not reach the exam window: reload, developer tools (on macOS as
 * Cmd+Opt+I), close, quit, print, zoom, new windows, hide/minimise, tab switching, the Windows
 * system menu (Alt+Space), the macOS full-screen toggle (Ctrl+Cmd+F); and copy where the
 * policy refuses it. Escape reaches the page (dialogs close with it): the kiosk itself does
 * not leave full screen on Escape, HTML full screen is refused, and the lockdown re-enters
 * full screen if anything leaves it. What the OS takes before any window sees it (Alt+Tab, the
 * Windows key, Ctrl+Alt+Del) is in docs/lockdown.md.
 */
export function isBlockedShortcut(input: KeyInput, policy: ShortcutPolicy): boolean {
  if (input.type !== 'keyDown' && input.type !== 'rawKeyDown') return false;
  if (isAltGrTyping(input, policy.platform)) return false;
  const key = keyOf(input);
  const command = input.control || input.meta;
  if (['f1', 'f3', 'f5', 'f6', 'f7', 'f11', 'f12', 'browserback', 'browserforward'].includes(key))
    return true;
  if (input.alt && (key === 'f4' || key === ' ' || key === 'space')) return true;
  if (input.alt && (key === 'arrowleft' || key === 'arrowright')) return true;
  if (input.control && key === 'tab') return true;
  if (input.control && input.meta && key === 'f') return true;
  if (command && (input.shift || input.alt) && DEVTOOLS.includes(key)) return true;
  if (command && COMMANDS.includes(key)) return true;
  // Paste keys reach the page: its paste guard refuses them and the refusal is journaled.
  if (!policy.copyPaste && clipboardAction(input) === 'copy') return true;
  return false;
}
