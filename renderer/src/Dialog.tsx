import { useEffect, useId, useRef, type ReactNode } from 'react';
import { createPortal } from 'react-dom';

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

/**
 * A modal on the native <dialog>: the browser traps focus, makes the page behind inert and
 * closes on Escape; closing by any means calls onClose, and the owner unmounts it. It is put
 * under <body> so it never inherits the styles of where it was opened (e.g. the blue header).
 */
export function Dialog({ title, onClose, children, role, wide, id, headExtra }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const el = ref.current;
    if (el && !el.open) el.showModal();
  }, []);
  return createPortal(
    <dialog
      ref={ref}
      id={id}
      className={wide === 'extra' ? 'dialog wide extra' : wide ? 'dialog wide' : 'dialog'}
      role={role}
      aria-labelledby={titleId}
      onClose={onClose}
    >
      <div className="dialog-head">
        <h2 id={titleId}>{title}</h2>
        {headExtra}
      </div>
      {children}
    </dialog>,
    document.body,
  );
}
