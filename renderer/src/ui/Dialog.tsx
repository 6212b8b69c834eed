import { useEffect, useId, useRef, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { pushDialog } from './dialog-stack';

interface Props {
  title: string;
  onClose(): void;
  children: ReactNode;
  /** 'alertdialog' for questions that interrupt (e.g. confirm logout). */
  role?: 'dialog' | 'alertdialog';
  wide?: boolean | 'extra';
  id?: string;
  /** Shown at the right of the title (e.g. status tags). */
  headExtra?: ReactNode;
}

const FOCUSABLE =
  '[autofocus], input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), button:not([disabled]), [href], [tabindex]:not([tabindex="-1"])';

/**
 * A dialog on the native <dialog>, opened non-modally (show()) so that the phone stays usable
 * while it is open: a ringing call is answered, a call hung up and its wrap-up filled in by
 * mouse or shortcut whatever dialog is open. It still behaves as a modal for the rest of the
 * page: everything but this dialog and the phone dock is inert (dialog-stack.ts), focus moves
 * into it when it opens and back where it was when it closes, and Escape closes it (the topmost
 * one). It is put under <body> so it never inherits the styles of where it was opened.
 */
export function Dialog({ title, onClose, children, role, wide, id, headExtra }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const close = useRef(onClose);
  useEffect(() => {
    close.current = onClose;
  });
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!el.open) el.show();
    const pop = pushDialog(el, () => close.current());
    if (!el.contains(document.activeElement)) {
      (el.querySelector<HTMLElement>(FOCUSABLE) ?? el).focus();
    }
    return () => {
      const focusInside = el.contains(document.activeElement);
      pop();
      // Back where the agent was, unless they have moved on (e.g. into the phone).
      if ((focusInside || document.activeElement === document.body) && before?.isConnected) {
        before.focus();
      }
    };
  }, []);
  return createPortal(
    <>
      <div className="dialog-backdrop" aria-hidden="true" />
      <dialog
        ref={ref}
        id={id}
        className={wide === 'extra' ? 'dialog wide extra' : wide ? 'dialog wide' : 'dialog'}
        role={role}
        aria-labelledby={titleId}
        tabIndex={-1}
        onClose={onClose}
      >
        <div className="dialog-head">
          <h2 id={titleId}>{title}</h2>
          {headExtra}
        </div>
        {children}
      </dialog>
    </>,
    document.body,
  );
}
