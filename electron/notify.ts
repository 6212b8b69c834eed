import type { BrowserWindow, NotificationConstructorOptions } from 'electron';

/** The parts of Electron's Notification the shell uses (a fake in tests). */
export interface NotificationLike {
  on(event: 'click', listener: () => void): unknown;
  show(): void;
}
export type NotificationFactory = (options: NotificationConstructorOptions) => NotificationLike;

/**
 * Desktop notifications for the client core (incoming call), raised by the main process so the
 * renderer needs no web notification permission (security.ts denies it). Silent: the app plays
 * its own ringtone on the chosen ringer device. Clicking brings the window forward.
 */
export function desktopNotifier(
  create: NotificationFactory,
  isSupported: () => boolean,
  window: () => Pick<BrowserWindow, 'isMinimized' | 'restore' | 'show' | 'focus'> | null,
): (notification: { title: string; body: string }) => void {
  return ({ title, body }) => {
    if (!isSupported()) return;
    const n = create({ title, body, silent: true, urgency: 'critical' });
    n.on('click', () => {
      const w = window();
      if (!w) return;
      if (w.isMinimized()) w.restore();
      w.show();
      w.focus();
    });
    n.show();
  };
}
