import { useState } from 'react';
import type { RejectedMutation } from '../../../src/domain/session';
import { Dialog } from '../ui/Dialog';
import { formatTime, ui } from '../i18n';
import { useSync } from './sync-store';

/** Changes the server refused: each waits here until the user retries or gives it up. */
export function RejectedPanel() {
  const open = useSync((s) => s.rejectedOpen);
  const rejected = useSync((s) => s.rejected);
  const openRejected = useSync((s) => s.openRejected);
  if (!open) return null;
  return (
    <Dialog title={ui('rejected.title')} onClose={() => openRejected(false)} wide>
      <p className="muted">{ui('rejected.intro')}</p>
      {rejected.length === 0 ? (
        <p role="status">{ui('rejected.empty')}</p>
      ) : (
        <ul className="rejected-list">
          {rejected.map((m) => (
            <RejectedRow key={m.mutationId} mutation={m} />
          ))}
        </ul>
      )}
      <div className="actions end">
        <button type="button" className="secondary" onClick={() => openRejected(false)}>
          {ui('common.close')}
        </button>
      </div>
    </Dialog>
  );
}

function RejectedRow({ mutation }: { mutation: RejectedMutation }) {
  const resolve = useSync((s) => s.resolve);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const errorId = `rejected-${mutation.mutationId}-error`;

  async function run(action: 'retry' | 'discard') {
    setBusy(true);
    setError(null);
    try {
      await resolve(mutation.mutationId, action);
    } catch (e) {
      setError((e as Error).message);
      setBusy(false);
    }
  }

  return (
    <li className="rejected-item" aria-describedby={error ? errorId : undefined}>
      <div className="rejected-summary">{mutation.summary || mutation.kind}</div>
      <dl>
        <dt>{ui('rejected.reason')}</dt>
        <dd>{mutation.message}</dd>
        <dt>{ui('rejected.date')}</dt>
        <dd>{formatTime(mutation.createdAt)}</dd>
      </dl>
      {error ? (
        <p className="form-error" id={errorId} role="alert">
          {error}
        </p>
      ) : null}
      {confirming ? (
        <div className="confirm" role="group" aria-label={ui('rejected.discard')}>
          <p role="alert">{ui('rejected.confirmDiscard')}</p>
          <div className="actions">
            <button
              type="button"
              className="danger"
              disabled={busy}
              onClick={() => void run('discard')}
            >
              {ui('rejected.confirmYes')}
            </button>
            <button
              type="button"
              className="secondary"
              disabled={busy}
              onClick={() => setConfirming(false)}
              autoFocus
            >
              {ui('common.cancel')}
            </button>
          </div>
        </div>
      ) : (
        <div className="actions">
          <button type="button" disabled={busy} onClick={() => void run('retry')}>
            {ui('rejected.retry')}
          </button>
          <button
            type="button"
            className="secondary"
            disabled={busy}
            onClick={() => setConfirming(true)}
          >
            {ui('rejected.discard')}
          </button>
        </div>
      )}
    </li>
  );
}
