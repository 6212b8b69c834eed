import { useEffect } from 'react';
import { call } from '../bridge';
import { ui } from '../i18n';

/**
 * A desktop notification when a callback this user holds falls due, once per callback and due
 * time. Checked every half minute from the local store (works offline).
 */
export function useDueNotifications(enabled: boolean, supervisor: boolean): void {
  useEffect(() => {
    if (!enabled || typeof Notification === 'undefined') return;
    const told = new Set<string>();
    const notify = async (key: string, title: string, body: string) => {
      if (told.has(key)) return;
      told.add(key);
      if (Notification.permission === 'default') await Notification.requestPermission();
      if (Notification.permission !== 'granted') return;
      new Notification(title, { body, tag: key });
    };
    const check = async () => {
      const mine = await call('callback.list', { state: 'overdue', owner: 'mine', limit: 100 });
      for (const sok of mine.items) {
        await notify(
          `${sok.id}@${sok.callback?.dueAt ?? ''}`,
          ui('cb.notifyTitle'),
          ui('cb.notifyBody', { regNo: sok.regNo ?? '' }),
        );
      }
      // Supervisors: every callback escalated to them (flagged by the server's sweep).
      if (!supervisor) return;
      const late = await call('callback.list', { state: 'escalated', limit: 200 });
      for (const sok of late.items) {
        await notify(
          `${sok.id}#${sok.callback?.escalation ?? 0}`,
          ui('cb.escalatedTitle'),
          ui('cb.escalatedBody', { regNo: sok.regNo ?? '' }),
        );
      }
    };
    void check().catch(() => undefined);
    const timer = setInterval(() => void check().catch(() => undefined), 30_000);
    return () => clearInterval(timer);
  }, [enabled, supervisor]);
}
