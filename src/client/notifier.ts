import type { DesktopNotification } from '../domain/shell-policy';
import type { EventHub } from './events';

export type DesktopNotify = (notification: DesktopNotification) => void;

export interface Notifier {
  /** Raises a notification once per key; false when that key was raised already. */
  raise(notification: Omit<DesktopNotification, 'at'>): boolean;
}

/** Keys remembered, oldest forgotten first: enough for a day of reminders on one desk. */
const MAX_KEYS = 2000;

/**
 * The one path of desktop notifications (issue #21): every one becomes the bridge event
 * `app.notification`, which the page shows in its notification area in both hosts, and, where
 * the host has a system notifier (Electron's main process), a system notification too. Keys
 * are remembered by the core, not the page, so a reload does not repeat a reminder.
 */
export function createNotifier(options: {
  events: EventHub;
  now: () => Date;
  system?: DesktopNotify | undefined;
  log?: (message: string, error?: unknown) => void;
}): Notifier {
  const told = new Set<string>();
  return {
    raise(input) {
      if (told.has(input.key)) return false;
      told.add(input.key);
      if (told.size > MAX_KEYS) told.delete(told.values().next().value as string);
      const notification: DesktopNotification = { ...input, at: options.now().toISOString() };
      options.events.emit('app.notification', notification);
      try {
        options.system?.(notification);
      } catch (error) {
        options.log?.('system notification failed', error);
      }
      return true;
    },
  };
}
