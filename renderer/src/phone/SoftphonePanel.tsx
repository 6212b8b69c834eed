import { useEffect, useState } from 'react';
import { useReference } from '../reference-store';
import type { CallInfo } from './phone';
import { displayNumber, rejectIncoming } from './session';
import { PHONE_SHORTCUTS } from './shortcuts';
import { usePhone } from './store';
import { ui, type UiKey } from '../i18n';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'];

function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const mm = String(Math.floor(s / 60)).padStart(2, '0');
  return `${mm}:${String(s % 60).padStart(2, '0')}`;
}

/** Re-renders every second while a call is answered, for the call timer. */
function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [active]);
  return now;
}

const STATUS_KEY = {
  ringing: 'phone.incoming',
  dialing: 'phone.dialing',
  established: 'phone.talking',
  ended: 'phone.ended',
} as const satisfies Record<CallInfo['status'], UiKey>;

/** Internal numbers of units and district desks (reference data), to transfer calls to. */
function TransferDirectory() {
  const organisations = useReference((s) => s.reference?.organisations ?? []);
  return (
    <datalist id="transfer-directory" aria-label={ui('phone.transferDirectory')}>
      {organisations
        .filter((o) => o.sipExtension)
        .map((o) => (
          <option key={o.code} value={o.sipExtension}>
            {o.shortName}
          </option>
        ))}
    </datalist>
  );
}

function CallRow({ call, consult }: { call: CallInfo; consult: CallInfo | undefined }) {
  const phone = usePhone();
  const [transferTo, setTransferTo] = useState('');
  const now = useNow(call.answeredAt !== null);
  const established = call.status === 'established';
  return (
    <li className={`phone-call status-${call.status}`} data-call-id={call.id}>
      <div className="phone-call-head">
        <strong>{call.displayName || call.number}</strong>{' '}
        <span className="phone-call-number">{displayNumber(call.number).display}</span>{' '}
        <span>
          {call.held
            ? ui('phone.held')
            : call.remoteHeld
              ? ui('phone.remoteHeld')
              : ui(STATUS_KEY[call.status])}
        </span>{' '}
        {call.answeredAt !== null && <time>{formatDuration(now - call.answeredAt)}</time>}
      </div>
      <div className="phone-call-actions">
        {call.status === 'ringing' && call.direction === 'inbound' && (
          <>
            <button
              type="button"
              title={ui('phone.withKeys', {
                label: ui('phone.answer'),
                keys: PHONE_SHORTCUTS.answer.keys,
              })}
              aria-keyshortcuts={PHONE_SHORTCUTS.answer.keys}
              onClick={() => void phone.answer(call.id)}
            >
              {ui('phone.answer')}
            </button>
            <button
              type="button"
              title={ui('phone.withKeys', {
                label: ui('phone.reject'),
                keys: PHONE_SHORTCUTS.hangup.keys,
              })}
              aria-keyshortcuts={PHONE_SHORTCUTS.hangup.keys}
              onClick={() => void rejectIncoming(call.id)}
            >
              {ui('phone.reject')}
            </button>
          </>
        )}
        {established && (
          <>
            <button
              type="button"
              aria-pressed={call.held}
              title={ui('phone.withKeys', {
                label: call.held ? ui('phone.resume') : ui('phone.hold'),
                keys: PHONE_SHORTCUTS.hold.keys,
              })}
              aria-keyshortcuts={PHONE_SHORTCUTS.hold.keys}
              onClick={() => void phone.toggleHold(call.id)}
            >
              {call.held ? ui('phone.resume') : ui('phone.hold')}
            </button>
            <button
              type="button"
              aria-pressed={call.muted}
              onClick={() => phone.toggleMute(call.id)}
            >
              {call.muted ? ui('phone.unmute') : ui('phone.mute')}
            </button>
          </>
        )}
        <button
          type="button"
          title={ui('phone.withKeys', {
            label: ui('phone.hangup'),
            keys: PHONE_SHORTCUTS.hangup.keys,
          })}
          aria-keyshortcuts={PHONE_SHORTCUTS.hangup.keys}
          onClick={() => void phone.hangup(call.id)}
        >
          {ui('phone.hangup')}
        </button>
      </div>
      {established && (
        <form
          className="phone-transfer"
          onSubmit={(e) => {
            e.preventDefault();
            if (transferTo) void phone.blindTransfer(call.id, transferTo);
          }}
        >
          <input
            aria-label={ui('phone.transferNumber')}
            list="transfer-directory"
            value={transferTo}
            onChange={(e) => setTransferTo(e.target.value)}
            placeholder={ui('phone.transferPlaceholder')}
          />
          <button type="submit">{ui('phone.transfer')}</button>
          {!consult && (
            <button
              type="button"
              className="secondary"
              disabled={!transferTo}
              onClick={() => {
                // Consult first: our caller waits on hold while we talk to the target.
                void (call.held ? Promise.resolve() : phone.toggleHold(call.id)).then(() =>
                  phone.dial(transferTo),
                );
              }}
            >
              {ui('phone.consult')}
            </button>
          )}
          {consult && (
            <button type="button" onClick={() => void phone.attendedTransfer(call.id, consult.id)}>
              {ui('phone.attendedTransfer', { number: consult.number })}
            </button>
          )}
        </form>
      )}
    </li>
  );
}

/** A minimal softphone: registration state, dial pad, live calls. Mounted by the app shell. */
export function SoftphonePanel() {
  const { registration, calls, error, dial, dtmf, dismissError } = usePhone();
  const [number, setNumber] = useState('');
  const active = calls.find((c) => c.status === 'established' && !c.held);
  const press = (key: string) => {
    if (active) void dtmf(active.id, key);
    else setNumber((n) => n + key);
  };
  return (
    <section className="softphone" aria-label="Softphone">
      <TransferDirectory />
      <p className={`phone-registration state-${registration.kind}`} role="status">
        {registration.message}
      </p>
      {error && (
        <p className="phone-error" role="alert">
          {error}{' '}
          <button type="button" onClick={dismissError} aria-label={ui('common.close')}>
            ×
          </button>
        </p>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (number) void dial(number).then(() => setNumber(''));
        }}
      >
        <input
          aria-label={ui('phone.number')}
          inputMode="tel"
          value={number}
          onChange={(e) => setNumber(e.target.value)}
        />
        <button type="submit" disabled={registration.kind !== 'registered' || !number}>
          {ui('phone.call')}
        </button>
      </form>
      <div
        className="phone-dialpad"
        role="group"
        aria-label={active ? ui('phone.dtmf') : ui('phone.dialpad')}
      >
        {KEYS.map((k) => (
          <button key={k} type="button" onClick={() => press(k)}>
            {k}
          </button>
        ))}
      </div>
      <ul className="phone-calls">
        {calls.map((c) => (
          <CallRow
            key={c.id}
            call={c}
            consult={calls.find((x) => x.id !== c.id && x.status === 'established')}
          />
        ))}
      </ul>
    </section>
  );
}
