'use client';
import { useEffect, useRef, type ReactNode } from 'react';
import styles from './run-save.module.css';

/**
 * A native modal <dialog>: focus moves in and is trapped while open, Escape closes it
 * (onClose), and focus returns to where it was afterwards.
 */
export function Modal({
  open,
  onClose,
  labelledBy,
  describedBy,
  children,
  testId,
}: {
  open: boolean;
  onClose: () => void;
  labelledBy: string;
  describedBy?: string;
  children: ReactNode;
  testId?: string;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    else if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      className={styles.dialog}
      aria-labelledby={labelledBy}
      aria-describedby={describedBy}
      data-testid={testId}
      onClose={() => {
        if (open) onClose();
      }}
    >
      {open ? children : null}
    </dialog>
  );
}
