'use client';
import { useEffect, useId, useRef, type ReactNode } from 'react';
import ui from './ui.module.css';

/**
 * A modal dialog on the native <dialog>: focus moves in and is trapped by the
 * browser, Escape closes it, and focus returns to the opener afterwards.
 */
export function Modal({ open, title, onClose, children }: { open: boolean; title: string; onClose(): void; children: ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      className={ui.dialog}
      aria-labelledby={titleId}
      onClose={onClose}
      onClick={(event) => {
        // A click on the backdrop (the dialog element itself, outside its content) closes it.
        if (event.target === ref.current) onClose();
      }}
    >
      <h2 id={titleId}>{title}</h2>
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
      {failure && (
        <p role="alert" className={ui.error}>
          {failure}
        </p>
      )}
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
