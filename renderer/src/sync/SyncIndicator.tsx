import { REGISTERING_ROLES, type Role, type SyncStatus } from '../../../src/domain/session';
import { formatTime, ui, type UiKey } from '../i18n';
import { useSync } from './sync-store';

const STATE_TEXT: Record<SyncStatus['state'], UiKey> = {
  online: 'sync.online',
  offline: 'sync.offline',
  syncing: 'sync.syncing',
  'signed-out': 'sync.signedOut',
};

/** Below this many leased numbers an agent working offline would soon get none. */
const NUMBERS_LOW = 5;

/**
 * Whether this PC's work has reached the central server. Ids are stable for tests:
 * #sync-state (text), #sync-pending (number), #sync-rejected-count (number).
 */
export function SyncIndicator({ role }: { role: Role }) {
  const status = useSync((s) => s.status);
  const syncingNow = useSync((s) => s.syncingNow);
  const syncNow = useSync((s) => s.syncNow);
  const openRejected = useSync((s) => s.openRejected);
  if (!status) return null;

  const { state, pending, rejected } = status;
  const numbersLow =
    REGISTERING_ROLES.has(role) &&
    (state === 'online' || state === 'offline') &&
    status.numbersLeft < NUMBERS_LOW;

  return (
    <div className={`sync-indicator state-${state}`} role="group" aria-label={ui('sync.label')}>
      <span className="sync-state">
        <span className="sync-dot" aria-hidden="true" />
        <span id="sync-state" title={status.lastError ?? undefined}>
          {ui(STATE_TEXT[state])}
        </span>
      </span>
      {pending > 0 ? (
        <span className="sync-pending warn">
          <span id="sync-pending">{pending}</span> {ui('sync.pendingSome')}
        </span>
      ) : (
        <span className="sync-pending">
          {ui('sync.pendingNone')} <span id="sync-pending">0</span>
        </span>
      )}
      {status.othersPending > 0 ? (
        <span className="sync-note">
          {ui('sync.othersPending', { count: status.othersPending })}
        </span>
      ) : null}
      <span className="sync-last">
        {status.lastSyncAt
          ? ui('sync.lastSync', { time: formatTime(status.lastSyncAt) })
          : ui('sync.never')}
      </span>
      {state !== 'syncing' && status.lastError ? (
        // Offline: why (the server's refusal, its error, no network). Online: a warning that
        // does not stop the sync (e.g. no registration numbers could be leased).
        <span
          id="sync-error"
          className={state === 'online' ? 'sync-warn' : 'sync-error'}
          role={state === 'online' ? 'status' : 'alert'}
        >
          {status.lastError}
        </span>
      ) : null}
      {numbersLow ? (
        <span className="sync-warn" role="status">
          {ui('sync.numbersLow', { count: status.numbersLeft })}
        </span>
      ) : null}
      <button
        type="button"
        className={rejected > 0 ? 'badge warn' : 'badge'}
        title={ui('sync.rejectedTitle')}
        onClick={() => openRejected(true)}
      >
        <span id="sync-rejected-count">{rejected}</span> {ui('sync.rejected')}
      </button>
      <button
        type="button"
        className="secondary small"
        disabled={syncingNow || state === 'signed-out'}
        onClick={() => void syncNow()}
      >
        {syncingNow ? ui('sync.nowBusy') : ui('sync.now')}
      </button>
    </div>
  );
}
