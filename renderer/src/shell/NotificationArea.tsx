import { ui } from '../i18n';
import { useNotifications, type ShownNotification } from './notification-store';

/**
 * The desktop notifications of the bridge event `app.notification`, inside the page, in both
 * hosts: the shell policy denies the web Notification API (src/domain/shell-policy.ts), and the
 * Electron shell shows the same notification as a system one besides. Two kinds already have
 * their own place in the page and are not repeated here (nor laid over the phone dock): a
 * ringing call is the screen pop and the dock's ringing call, a refused change its toast with
 * the way to fix it.
 */
const SHOWN_HERE = new Set<ShownNotification['kind']>(['callback-due', 'callback-escalated']);

export function NotificationArea() {
  const items = useNotifications((s) => s.items).filter((n) => SHOWN_HERE.has(n.kind));
  const dismiss = useNotifications((s) => s.dismiss);
  if (items.length === 0) return null;
  return (
    <section className="desk-notifications" aria-label={ui('shell.notifications')}>
      {items.map((n) => (
        <div key={n.key} className={`desk-notification ${n.kind}`} role="status">
          <div className="desk-notification-text">
            <strong>{n.title}</strong>
            <span>{n.body}</span>
          </div>
          <button
            type="button"
            className="toast-close"
            aria-label={ui('common.close')}
            onClick={() => dismiss(n.key)}
          >
            ×
          </button>
        </div>
      ))}
    </section>
  );
}
