import { CALL_DISPOSITION_NAMES } from '../../../src/domain/call';
import { Dialog } from '../ui/Dialog';
import { formatShort, ui, CALL_OUTCOME_KEY } from '../i18n';
import { CallButton } from './CallButton';
import { displayNumber, usePhoneSession } from './session';

/** This agent's calls, newest first; missed inbound calls can be shown alone. */
export function CallLogDialog() {
  const log = usePhoneSession((s) => s.log);
  const missedOnly = usePhoneSession((s) => s.missedOnly);
  const loadLog = usePhoneSession((s) => s.loadLog);
  const close = () => usePhoneSession.getState().openLog(false);
  return (
    <Dialog title={ui('phone.callLog')} onClose={close} wide="extra" id="call-log">
      <label className="check">
        <input
          id="call-log-missed"
          type="checkbox"
          checked={missedOnly}
          onChange={(e) => void loadLog(e.target.checked)}
        />
        {ui('phone.missedOnly')}
      </label>
      {log.length === 0 ? (
        <p className="muted">{ui('phone.noCalls')}</p>
      ) : (
        <table className="call-log">
          <thead>
            <tr>
              <th>{ui('phone.direction')}</th>
              <th>Numara</th>
              <th>{ui('phone.startedAt')}</th>
              <th>{ui('phone.duration')}</th>
              <th>Durum</th>
              <th>{ui('phone.result')}</th>
            </tr>
          </thead>
          <tbody>
            {log.map((c) => {
              const { phone, display } = displayNumber(c.number);
              return (
                <tr
                  key={c.id}
                  data-call-id={c.id}
                  className={`outcome-${c.outcome}${c.pending ? ' pending' : ''}`}
                >
                  <td>{c.direction === 'inbound' ? ui('phone.inbound') : ui('phone.outbound')}</td>
                  <td>
                    {display} <CallButton phone={phone} />
                  </td>
                  <td>{formatShort(c.startedAt)}</td>
                  <td>{c.durationSeconds} sn</td>
                  <td>
                    {ui(CALL_OUTCOME_KEY[c.outcome])}
                    {c.pending ? <span className="tag">{ui('phone.pending')}</span> : null}
                  </td>
                  <td>{c.disposition ? CALL_DISPOSITION_NAMES[c.disposition] : '—'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </Dialog>
  );
}
