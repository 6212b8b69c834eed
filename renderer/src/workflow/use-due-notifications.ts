import { useEffect } from 'react';
import { call } from '../bridge';
import { ui } from '../i18n';

/**
 * A desktop notification when a callback this user holds falls due, once per callback and due
 * time. Checked every half minute from the local store (works offline).
 */
export function useDueNotifications(enabled: boolean): void {
  useEffect(() => {
    if (!enabled || typeof Notification === 'undefined') return;
    const told = new Set<string>();
    const check = async () => {
      const page = await call('callback.list', { state: 'overdue', owner: 'mine', limit: 100 });
      for (const sok of page.items) {
        const key = `${sok.id}@${sok.callback?.dueAt ?? ''}`;
        if (told.has(key)) continue;
        told.add(key);
        if (Notification.permission === 'default') await Notification.requestPermission();
        if (Notification.permission !== 'granted') continue;
        new Notification(ui('cb.notifyTitle'), {
          body: ui('cb.notifyBody', { regNo: sok.regNo ?? '' }),
          tag: key,
        });
      }
    };
    void check().catch(() => undefined);
    const timer = setInterval(() => void check().catch(() => undefined), 30_000);
    return () => clearInterval(timer);
  }, [enabled]);
}
