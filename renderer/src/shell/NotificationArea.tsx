import { ui } from '../i18n';
import { useNotifications } from './notification-store';

/**
 * The desktop notifications of the bridge event `app.notification`, inside the page, in both
 * hosts: the shell policy denies the web Notification API (src/domain/shell-policy.ts), and the
 * Electron shell shows the same notification as a system one besides. A refused change
 * ('sync-rejected') is not repeated here: its toast already says it, with the way to fix it.
 */
export function NotificationArea() {
  const items = useNotifications((s) => s.items).filter((n) => n.kind !== 'sync-rejected');
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
