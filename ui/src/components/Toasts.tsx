/**
 * Short confirmations ("Saved revision 3") in the page's corner: shown by any page with
 * `showToast`, announced to screen readers, gone after a few seconds. They live in the layout, so
 * one outlives a navigation (a new flow's page becomes its edit page on the first save).
 */
import { useEffect, useState } from 'react';

const SHOWN_MS = 4000;

interface Toast {
  id: number;
  message: string;
}

let nextId = 1;
const listeners = new Set<(toast: Toast) => void>();

/** Shows `message` as a toast. */
export function showToast(message: string): void {
  const toast = { id: nextId++, message };
  for (const listener of listeners) listener(toast);
}

/** The toasts being shown (rendered once, by the layout). */
export function Toasts() {
  const [toasts, setToasts] = useState<Toast[]>([]);
  useEffect(() => {
    const timers = new Set<ReturnType<typeof setTimeout>>();
    const add = (toast: Toast) => {
      setToasts((shown) => [...shown, toast]);
      const timer = setTimeout(() => {
        timers.delete(timer);
        setToasts((shown) => shown.filter((t) => t.id !== toast.id));
      }, SHOWN_MS);
      timers.add(timer);
    };
    listeners.add(add);
    return () => {
      listeners.delete(add);
      for (const timer of timers) clearTimeout(timer);
    };
  }, []);
  return (
    <div className="toasts" aria-live="polite">
      {toasts.map((toast) => (
        <div key={toast.id} className="toast" role="status" data-testid="toast">
          ✓ {toast.message}
        </div>
      ))}
    </div>
  );
}
