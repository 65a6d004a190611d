'use client';
import { create } from 'zustand';

interface Toast {
  id: number;
  message: string;
}

interface ToastState {
  toasts: Toast[];
  show(message: string): void;
  dismiss(id: number): void;
}

let counter = 0;

/** Short messages for the canvas (a refused connection, an import that failed). */
export const useToastStore = create<ToastState>((set, get) => ({
  toasts: [],
  show: (message) => {
    const id = ++counter;
    set((s) => ({ toasts: [...s.toasts.filter((t) => t.message !== message), { id, message }].slice(-3) }));
    setTimeout(() => get().dismiss(id), 5000);
  },
  dismiss: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
}));

export const showToast = (message: string) => useToastStore.getState().show(message);
