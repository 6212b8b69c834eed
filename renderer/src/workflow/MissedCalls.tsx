import { call } from '../bridge';
import { FormError } from '../ui/fields';
import { formatCount, formatShort, ui } from '../i18n';
import { CallButton } from '../phone/CallButton';
import { phoneText } from '../sok/sok-format';
import { useLivePage } from './use-live-page';

/**
 * Missed inbound calls ("cevapsız çağrı") the organisation still owes a call back, above the
 * callback queue. Calling the number back and getting an answer settles it by itself (the call
 * log); otherwise it is settled here. Read from the central API: it needs the network.
 */
export function MissedCalls() {
  const {
    page: calls,
    error,
    setPage: setCalls,
    setError,
  } = useLivePage(() => call('calls.missed', {}), 'missed');

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
                <td>
                  {ui(c.outcome === 'rejected' ? 'missed.rejected' : 'missed.missed')}
                  {c.waitSeconds !== null ? (
                    <span className="missed-wait" data-wait-seconds={c.waitSeconds}>
                      {' · '}
                      {ui('missed.waited', { seconds: formatCount(c.waitSeconds) })}
                    </span>
                  ) : null}
                </td>
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
