import { ui } from '../i18n';
import { useToasts } from './toast-store';

/** Messages that arrive on their own (server rejections, sync failures, confirmations). */
export function Toasts() {
  const toasts = useToasts((s) => s.toasts);
  const dismiss = useToasts((s) => s.dismiss);
  return (
    <section className="toasts" aria-label={ui('toast.region')}>
      {toasts.map((t) => (
        <div
          key={t.id}
          className={`toast ${t.tone}`}
          role={t.tone === 'success' ? 'status' : 'alert'}
        >
          <span className="toast-text">{t.text}</span>
          {t.action ? (
            <button
              type="button"
              className="secondary small"
              onClick={() => {
                t.action?.run();
                dismiss(t.id);
              }}
            >
              {t.action.label}
            </button>
          ) : null}
          <button
            type="button"
            className="toast-close"
            aria-label={ui('common.close')}
            onClick={() => dismiss(t.id)}
          >
            ×
          </button>
        </div>
      ))}
    </section>
  );
}
