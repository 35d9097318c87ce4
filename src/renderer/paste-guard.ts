import { MAX_LONG_TEXT } from '../common/answers';
import type { IpcRequest } from '../common/ipc';

type Action = IpcRequest<'clipboard'>['action'];
/** Main's answer: may this copy, paste or drop go ahead (clipboard-rule.ts)? */
export type AskMain = (action: Action, text: string) => Promise<boolean>;

/**
 * A paste this soon after the middle button came up, with no key pressed since, is Linux's
 * middle-click paste.
 */
const MIDDLE_CLICK_MS = 1_000;

type TextField = HTMLInputElement | HTMLTextAreaElement;

function textField(element: EventTarget | null): TextField | null {
  if (element instanceof HTMLTextAreaElement) return element;
  if (element instanceof HTMLInputElement && element.selectionStart !== null) return element;
  return null;
}

/** What a copy takes: the field's selected text, or the page's. */
function selectedText(): string {
  const field = textField(document.activeElement);
  if (field) return field.value.slice(field.selectionStart ?? 0, field.selectionEnd ?? 0);
  return document.getSelection()?.toString() ?? '';
}

/**
 * The one gate for text coming into the exam window (docs/lockdown.md "Clipboard"). Every
 * paste — keys, a menu, Linux's middle click, which pastes the selection another program owns —
 * is held, main decides, and only then is the text typed in (`insertText`, so undo and React
 * see it as typing). A drop from outside the page is refused and reported; a drag within the
 * page is left alone. A copy puts exactly the selected text on the clipboard and tells main,
 * so the same text can come back in. Returns a function that takes the gate down.
 */
export function guardPastes(ask: AskMain, target: Window = window): () => void {
  let middleReleasedAt = Number.NEGATIVE_INFINITY;
  // A drag that started in this page carries a type made for this page load: no other program
  // can know it, and it goes with the drag even if the element it started on is removed.
  const ownDrag = `application/x-vakt-drag-${crypto.randomUUID()}`;
  const fromWithin = (event: DragEvent) => event.dataTransfer?.types.includes(ownDrag) === true;
  let draggingWithin = false;

  const onCopy = (event: ClipboardEvent) => {
    const field = textField(document.activeElement);
    // Chromium never copies a password field: neither does the gate.
    if (!event.clipboardData || (field instanceof HTMLInputElement && field.type === 'password'))
      return;
    const text = selectedText().slice(0, MAX_LONG_TEXT);
    event.preventDefault();
    event.clipboardData.setData('text/plain', text);
    if (event.type === 'cut' && field) document.execCommand('delete');
    void ask('copy', text);
  };

  const onPaste = (event: ClipboardEvent) => {
    event.preventDefault();
    event.stopImmediatePropagation();
    const field = textField(event.target);
    if (!field) return;
    const text = (event.clipboardData?.getData('text/plain') ?? '').slice(0, MAX_LONG_TEXT);
    const middle = performance.now() - middleReleasedAt < MIDDLE_CLICK_MS;
    void ask(middle ? 'middle-click' : 'paste', text).then((allowed) => {
      if (allowed && text !== '' && document.activeElement === field)
        document.execCommand('insertText', false, text);
    });
  };

  // Belt and braces: an insertion from a paste or an outside drop that bypassed the events
  // above never lands; the gate's own insertions are typed text. `draggingWithin` is set by the
  // drop just before, from the drag's own type.
  const onBeforeInput = (event: InputEvent) => {
    const fromPaste = event.inputType.startsWith('insertFromPaste');
    if (fromPaste || (event.inputType === 'insertFromDrop' && !draggingWithin))
      event.preventDefault();
  };

  const onDrop = (event: DragEvent) => {
    draggingWithin = fromWithin(event);
    if (draggingWithin) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    void ask('drop', (event.dataTransfer?.getData('text/plain') ?? '').slice(0, MAX_LONG_TEXT));
  };

  const listeners: [string, (event: never) => void][] = [
    ['copy', onCopy],
    ['cut', onCopy],
    ['paste', onPaste],
    ['beforeinput', onBeforeInput],
    ['drop', onDrop],
    [
      'dragstart',
      (event: DragEvent) => {
        event.dataTransfer?.setData(ownDrag, '');
      },
    ],
    ['keydown', () => (middleReleasedAt = Number.NEGATIVE_INFINITY)],
    [
      'mouseup',
      (event: MouseEvent) => {
        if (event.button === 1) middleReleasedAt = performance.now();
      },
    ],
  ];
  for (const [type, listener] of listeners)
    target.addEventListener(type, listener as EventListener, true);
  return () => {
    for (const [type, listener] of listeners)
      target.removeEventListener(type, listener as EventListener, true);
  };
}

/** The gate wired to main through `window.vakt`; a failed call counts as a refusal. */
export function guardPastesThroughMain(): () => void {
  return guardPastes(async (action, text) => {
    const result = await window.vakt.clipboard({ action, text });
    return result.ok && result.value.allowed;
  });
}
