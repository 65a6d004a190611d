'use client';
import { useToastStore } from './toast-store';

/** The toast area: a live region, always present, announcing each message. */
export function Toasts() {
  const toasts = useToastStore((s) => s.toasts);
  const dismiss = useToastStore((s) => s.dismiss);
  return (
    <div role="status" aria-live="polite" className="pw-toasts" data-testid="toasts">
      {toasts.map((t) => (
        <div key={t.id} className="pw-toast">
          <span>{t.message}</span>
          <button type="button" className="pw-toast__close" aria-label="Dismiss" onClick={() => dismiss(t.id)} />
        </div>
      ))}
    </div>
  );
}
