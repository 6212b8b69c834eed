import { useEffect, useState } from 'react';
import type { MissedCall } from '../../../src/domain/bridge/contract';
import { bridge, call } from '../bridge';
import { FormError } from '../fields';
import { formatShort, ui } from '../i18n';
import { CallButton } from '../phone/CallButton';
import { phoneText } from '../sok-format';

/**
 * Missed inbound calls ("cevapsız çağrı") the organisation still owes a call back, above the
 * callback queue. Calling the number back and getting an answer settles it by itself (the call
 * log); otherwise it is settled here. Read from the central API: it needs the network.
 */
export function MissedCalls() {
  const [calls, setCalls] = useState<MissedCall[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [changes, setChanges] = useState(0);

  useEffect(() => bridge?.on('sok.changed', () => setChanges((n) => n + 1)), []);
  useEffect(() => {
    const timer = setInterval(() => setChanges((n) => n + 1), 30_000);
    return () => clearInterval(timer);
  }, []);
  useEffect(() => {
    let live = true;
    call('calls.missed', {}).then(
      (list) => {
        if (!live) return;
        setCalls(list);
        setError(null);
      },
      (e: unknown) => live && setError((e as Error).message),
    );
    return () => {
      live = false;
    };
  }, [changes]);

  const settle = async (id: string, state: 'done' | 'unreachable' | 'not-needed') => {
    try {
      await call('calls.settle', { id, state });
      setCalls((list) => list?.filter((c) => c.id !== id) ?? null);
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <section className="panel queue" aria-labelledby="missed-title" id="missed-calls">
      <h2 id="missed-title">{ui('missed.title')}</h2>
      <FormError message={error} />
      {calls && calls.length === 0 ? <p className="muted">{ui('missed.empty')}</p> : null}
      {calls && calls.length > 0 ? (
        <table className="queue-table">
          <tbody>
            {calls.map((c) => (
              <tr key={c.id} data-call-id={c.id}>
                <td>{formatShort(c.startedAt)}</td>
                <td className="mono">
                  {phoneText(c.number)} <CallButton phone={c.number} />
                </td>
                <td>{ui(c.outcome === 'rejected' ? 'missed.rejected' : 'missed.missed')}</td>
                <td className="actions">
                  <button
                    type="button"
                    className="secondary"
                    onClick={() => void settle(c.id, 'done')}
                  >
                    {ui('missed.done')}
                  </button>
                  <button
                    type="button"
                    className="secondary"
                    onClick={() => void settle(c.id, 'unreachable')}
                  >
                    {ui('missed.unreachable')}
                  </button>
                  <button
                    type="button"
                    className="secondary"
                    onClick={() => void settle(c.id, 'not-needed')}
                  >
                    {ui('missed.notNeeded')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
