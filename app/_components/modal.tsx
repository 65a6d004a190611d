'use client';
import { useEffect, useId, useRef, type KeyboardEvent, type MouseEvent, type ReactNode } from 'react';
import ui from './ui.module.css';
import { FailureAlert } from './failure-alert';

/** A dialog is named by a visible title (rendered as its heading) or by an element of its content. */
type Naming = { title: string; labelledBy?: never } | { labelledBy: string; title?: never };

export type ModalProps = Naming & {
  open: boolean;
  onClose(): void;
  children: ReactNode;
  describedBy?: string;
  testId?: string;
  /** Extra classes on the <dialog>, e.g. a wider one. */
  className?: string;
};

const outside = (dialog: HTMLDialogElement, event: MouseEvent) => {
  const r = dialog.getBoundingClientRect();
  return event.clientX < r.left || event.clientX > r.right || event.clientY < r.top || event.clientY > r.bottom;
};

const focusable = 'a[href], button, input:not([type="hidden"]), select, textarea, [tabindex]';

/** The dialog's controls in Tab order that can take focus now (enabled, rendered, not taken out of the Tab order). */
function tabbables(dialog: HTMLDialogElement): HTMLElement[] {
  return [...dialog.querySelectorAll<HTMLElement>(focusable)].filter(
    (el) => el.tabIndex >= 0 && !el.matches(':disabled') && el.getClientRects().length > 0,
  );
}

/** Tab from the last control goes to the first, Shift+Tab from the first to the last: focus never leaves the dialog. */
function wrapTab(dialog: HTMLDialogElement, event: KeyboardEvent) {
  if (event.key !== 'Tab' || event.altKey || event.ctrlKey || event.metaKey) return;
  const list = tabbables(dialog);
  const first = list[0];
  const last = list.at(-1);
  if (!first || !last) return;
  const active = document.activeElement;
  if (event.shiftKey && (active === first || active === dialog)) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && (active === last || active === dialog)) {
    event.preventDefault();
    first.focus();
  }
}

/**
 * The one modal dialog of the app, on the native <dialog>: focus moves in, the page
 * behind is inert and Tab wraps around inside, Escape and a click on the backdrop
 * close it, and the browser returns focus to the opener afterwards.
 * onClose runs when the user closes it, not when `open` turns false.
 */
export function Modal({ open, title, labelledBy, describedBy, onClose, children, testId, className }: ModalProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const openRef = useRef(open);
  openRef.current = open;
  /** Whether the current click began on the backdrop (a drag out of a text field must not close the dialog). */
  const downOnBackdrop = useRef(false);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    else if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      className={className ? `${ui.dialog} ${className}` : ui.dialog}
      aria-labelledby={labelledBy ?? titleId}
      aria-describedby={describedBy}
      data-testid={testId}
      onClose={() => {
        if (openRef.current) onClose();
      }}
      onKeyDown={(event) => {
        if (ref.current) wrapTab(ref.current, event);
      }}
      onMouseDown={(event) => {
        downOnBackdrop.current = event.target === ref.current && outside(ref.current, event);
      }}
      onClick={(event) => {
        // The backdrop is the dialog element itself, outside its box.
        if (downOnBackdrop.current && event.target === ref.current && outside(ref.current, event)) onClose();
        downOnBackdrop.current = false;
      }}
    >
      {title !== undefined && <h2 id={titleId}>{title}</h2>}
      {open && children}
    </dialog>
  );
}

/** "Are you sure?" with a named action; resolves through onConfirm, which may fail with a readable message. */
export function ConfirmModal({
  open,
  title,
  message,
  confirmLabel,
  busy,
  failure,
  onConfirm,
  onClose,
}: {
  open: boolean;
  title: string;
  message: ReactNode;
  confirmLabel: string;
  busy?: boolean;
  failure?: string;
  onConfirm(): void;
  onClose(): void;
}) {
  return (
    <Modal open={open} title={title} onClose={onClose}>
      <div>{message}</div>
      <FailureAlert failure={failure} />
      <div className={ui.actions}>
        <button type="button" className={ui.button} onClick={onClose} autoFocus>
          Cancel
        </button>
        <button type="button" className={ui.danger} onClick={onConfirm} disabled={busy}>
          {confirmLabel}
        </button>
      </div>
    </Modal>
  );
}
