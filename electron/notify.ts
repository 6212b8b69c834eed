import type { BrowserWindow, NotificationConstructorOptions } from 'electron';
import { isUrgent, type DesktopNotification } from '../src/domain/shell-policy';
import { bringForward } from './window';

/** The parts of Electron's Notification the shell uses (a fake in tests). */
export interface NotificationLike {
  on(event: 'click', listener: () => void): unknown;
  show(): void;
}
export type NotificationFactory = (options: NotificationConstructorOptions) => NotificationLike;

type NotifiedWindow = Pick<
  BrowserWindow,
  'isMinimized' | 'restore' | 'show' | 'focus' | 'isFocused' | 'flashFrame'
>;

/**
 * System notifications for the client core's `app.notification` (incoming call, callback due or
 * escalated, sync rejected), raised by the main process so the renderer needs no web
 * notification permission (the shell policy denies it). Silent: the app plays its own ringtone
 * on the chosen ringer device. An incoming call is critical and flashes the taskbar button of
 * an unfocused window; clicking any notification brings the window forward.
 */
export function desktopNotifier(
  create: NotificationFactory,
  isSupported: () => boolean,
  window: () => NotifiedWindow | null,
): (notification: Pick<DesktopNotification, 'kind' | 'title' | 'body'>) => void {
  return ({ kind, title, body }) => {
    const urgent = isUrgent(kind);
    const w = window();
    if (urgent && w && !w.isFocused()) w.flashFrame(true);
    if (!isSupported()) return;
    const n = create({ title, body, silent: true, urgency: urgent ? 'critical' : 'normal' });
    n.on('click', () => bringForward(window()));
    n.show();
  };
}
