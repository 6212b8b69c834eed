import { create } from 'zustand';

export interface Toast {
  id: number;
  tone: 'error' | 'warn' | 'success';
  text: string;
  /** One button next to the text, e.g. "Reddedilenleri göster". */
  action?: { label: string; run(): void };
  /** Toasts about one subject (e.g. 'rejected') can be withdrawn together once it is settled. */
  topic?: string;
}

interface ToastState {
  toasts: Toast[];
  nextId: number;
  show(toast: Omit<Toast, 'id'>): void;
  dismiss(id: number): void;
  /** Withdraws a topic's toasts shown before `beforeId` (newer ones may be about news). */
  dismissTopic(topic: string, beforeId: number): void;
  clear(): void;
}

/** Successes fade out; errors and warnings stay until the user closes them, never silent. */
const SUCCESS_MS = 6000;

export const useToasts = create<ToastState>((set, get) => ({
  toasts: [],
  nextId: 1,
  show(toast) {
    const id = get().nextId;
    set((s) => ({ toasts: [...s.toasts, { ...toast, id }].slice(-5), nextId: id + 1 }));
    if (toast.tone === 'success') setTimeout(() => get().dismiss(id), SUCCESS_MS);
  },
  dismiss(id) {
    set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) }));
  },
  dismissTopic(topic, beforeId) {
    set((s) => ({ toasts: s.toasts.filter((t) => t.topic !== topic || t.id >= beforeId) }));
  },
  clear() {
    set({ toasts: [] });
  },
}));

export const toast = (t: Omit<Toast, 'id'>) => useToasts.getState().show(t);
