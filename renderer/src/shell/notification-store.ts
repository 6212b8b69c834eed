import { create } from 'zustand';
import type { EventPayload } from '../../../src/domain/bridge/contract';

export type ShownNotification = EventPayload<'app.notification'>;

interface NotificationState {
  items: ShownNotification[];
  add(notification: ShownNotification): void;
  dismiss(key: string): void;
}

/** The page keeps the latest few; an agent with more open reminders sees them in the queue. */
const MAX_SHOWN = 5;
/** A ringing call's notice goes by itself (the screen pop stays); reminders wait for the agent. */
const CALL_NOTICE_MS = 30_000;

export const useNotifications = create<NotificationState>((set, get) => ({
  items: [],
  add(notification) {
    if (get().items.some((n) => n.key === notification.key)) return;
    set((s) => ({ items: [notification, ...s.items].slice(0, MAX_SHOWN) }));
    if (notification.kind === 'incoming-call') {
      setTimeout(() => get().dismiss(notification.key), CALL_NOTICE_MS);
    }
  },
  dismiss(key) {
    set((s) => ({ items: s.items.filter((n) => n.key !== key) }));
  },
}));
