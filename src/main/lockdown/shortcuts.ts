/** The fields of Electron's `Input` that the filter reads. */
export interface KeyInput {
  type: string;
  key: string;
  control: boolean;
  meta: boolean;
  alt: boolean;
  shift: boolean;
}

/**
 * Whether a key press must not reach the exam window's default handling: reload, developer
 * tools, close, quit, print, zoom, new windows, hide/minimise. Alt+Tab and the Windows key are
 * handled by the OS before Electron sees them; the focus monitor covers those.
 */
export function isBlockedShortcut(input: KeyInput): boolean {
  if (input.type !== 'keyDown') return false;
  const key = input.key.toLowerCase();
  const command = input.control || input.meta;
  if (key === 'f5' || key === 'f11' || key === 'f12') return true;
  if (input.alt && key === 'f4') return true;
  if (command && input.shift && ['i', 'j', 'c', 'r', 'delete'].includes(key)) return true;
  if (
    command &&
    ['r', 'w', 'q', 'p', 'n', 't', 'h', 'm', 's', 'o', 'u', '+', '=', '-', '0'].includes(key)
  ) {
    return true;
  }
  return false;
}
