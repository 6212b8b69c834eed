import { useEffect } from 'react';
import { call } from '../bridge';
import { ui } from '../i18n';
import { useShellUi } from '../shell/shell-ui';

/**
 * A desktop notification when a callback this user holds falls due, once per callback and due
 * time. Checked every half minute from the local store (works offline). Raised through the
 * bridge (`app.notify` → the `app.notification` event), never the web Notification API, which
 * the shell policy denies in both hosts (src/domain/shell-policy.ts); the client core remembers
 * what it raised, so a reload does not repeat it.
 */
export function useDueNotifications(enabled: boolean, supervisor: boolean): void {
  useEffect(() => {
    if (!enabled) return;
    const check = async () => {
      const mine = await call('callback.list', {
        state: 'overdue',
        owner: 'mine',
        limit: 100,
        // Only the registration numbers are shown: no KVKK view.
        shown: false,
      });
      useShellUi.getState().setDueCallbacks(mine.total);
      for (const sok of mine.items) {
        await call('app.notify', {
          kind: 'callback-due',
          key: `callback-due:${sok.id}@${sok.callback?.dueAt ?? ''}`,
          title: ui('cb.notifyTitle'),
          body: ui('cb.notifyBody', { regNo: sok.regNo ?? '' }),
        });
      }
      // Supervisors: every callback escalated to them (flagged by the server's sweep).
      if (!supervisor) return;
      const late = await call('callback.list', { state: 'escalated', limit: 200, shown: false });
      for (const sok of late.items) {
        await call('app.notify', {
          kind: 'callback-escalated',
          key: `callback-escalated:${sok.id}#${sok.callback?.escalation ?? 0}`,
          title: ui('cb.escalatedTitle'),
          body: ui('cb.escalatedBody', { regNo: sok.regNo ?? '' }),
        });
      }
    };
    void check().catch(() => undefined);
    const timer = setInterval(() => void check().catch(() => undefined), 30_000);
    return () => clearInterval(timer);
  }, [enabled, supervisor]);
}
