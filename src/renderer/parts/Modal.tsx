import { useEffect, useRef, type ReactNode } from 'react';

const FOCUSABLE = 'button:not([disabled]), a[href], input:not([disabled]), select, textarea';

/**
 * A modal dialog on the browser's own `<dialog>` and `showModal()`: the page behind it is inert
 * (Tab goes round inside it, a screen reader stays in it), it sits above every overlay, and Esc
 * closes it through `onCancel`, after which focus goes back where it was. Without `onCancel`,
 * Esc does nothing: the candidate must answer it (a message to acknowledge).
 */
export function Modal(props: {
  labelledBy: string;
  describedBy?: string;
  className?: string;
  onCancel?: () => void;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current!;
    const before = document.activeElement;
    if (!dialog.open) dialog.showModal();
    return () => {
      dialog.close();
      if (before instanceof HTMLElement && before.isConnected) before.focus();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      className={props.className}
      aria-labelledby={props.labelledBy}
      aria-describedby={props.describedBy}
      onCancel={(event) => {
        event.preventDefault();
        props.onCancel?.();
      }}
      onKeyDown={(event) => {
        // The page behind is inert, but past the last control the browser would move focus
        // out of the page: round it to the first (and back from the first to the last).
        if (event.key !== 'Tab') return;
        const controls = [...event.currentTarget.querySelectorAll<HTMLElement>(FOCUSABLE)];
        const first = controls[0];
        const last = controls.at(-1);
        if (!first || !last) return;
        if (!event.shiftKey && document.activeElement === last) {
          event.preventDefault();
          first.focus();
        } else if (event.shiftKey && document.activeElement === first) {
          event.preventDefault();
          last.focus();
        }
      }}
    >
      {props.children}
    </dialog>
  );
}
