import { useDetail } from '../sok/detail-store';
import { formatShort, ui } from '../i18n';
import { statusName, topicLabel } from '../sok/sok-format';
import { useReference } from '../reference-store';
import { callerPanels } from './caller-extensions';
import { rejectIncoming, type ScreenPop as Pop } from './session';
import { PHONE_SHORTCUTS } from './shortcuts';
import { usePhone } from './store';
import { RevealedLine } from '../kvkk/Reveal';

/**
 * The caller's context the moment a call rings: their number as an agent reads it, their earlier
 * ŞÖKs (sok.callerContext) and any registered caller panels (open callbacks), with answer and
 * reject. It stays while the call is on the line.
 */
export function ScreenPop({ pop }: { pop: Pop }) {
  const live = usePhone((s) => s.calls.find((c) => c.id === pop.callId));
  const answer = usePhone((s) => s.answer);
  const reference = useReference((s) => s.reference);
  const openDetail = useDetail((s) => s.open);
  const ringing = live?.status === 'ringing';
  const soks = pop.context?.soks ?? [];
  return (
    <section
      className={ringing ? 'screen-pop ringing' : 'screen-pop'}
      id="screen-pop"
      aria-label={ui('phone.incoming')}
      role={ringing ? 'alert' : undefined}
    >
      <header>
        <span className="screen-pop-kind">{ui('phone.incoming')}</span>
        <strong className="screen-pop-number">{pop.display || ui('phone.unknownCaller')}</strong>
        {pop.name ? <span className="muted">{pop.name}</span> : null}
      </header>
      {ringing ? (
        <div className="actions">
          <button
            type="button"
            id="screen-pop-answer"
            title={ui('phone.withKeys', {
              label: ui('phone.answer'),
              keys: PHONE_SHORTCUTS.answer.keys,
            })}
            aria-keyshortcuts={PHONE_SHORTCUTS.answer.keys}
            onClick={() => void answer(pop.callId)}
          >
            {ui('phone.answer')}
          </button>
          <button
            type="button"
            className="secondary"
            title={ui('phone.withKeys', {
              label: ui('phone.reject'),
              keys: PHONE_SHORTCUTS.hangup.keys,
            })}
            aria-keyshortcuts={PHONE_SHORTCUTS.hangup.keys}
            onClick={() => void rejectIncoming(pop.callId)}
          >
            {ui('phone.reject')}
          </button>
        </div>
      ) : null}
      <h3>{ui('phone.earlier', { count: soks.length })}</h3>
      {pop.context && soks.length === 0 ? <p className="muted">{ui('phone.noEarlier')}</p> : null}
      <ul className="earlier">
        {soks.slice(0, 8).map((sok) => (
          <li key={sok.id}>
            <button type="button" className="row-button" onClick={() => openDetail(sok.id)}>
              <span className="reg-no">{sok.regNo ?? '—'}</span>
              <span className="muted">{formatShort(sok.createdAt)}</span>
              <span>{reference ? topicLabel(reference, sok.topicCode) : sok.topicCode}</span>
              <span className="tag">{statusName(sok.status)}</span>
            </button>
            <RevealedLine sok={sok} />
          </li>
        ))}
      </ul>
      {callerPanels().map(([key, Panel]) => (
        <Panel key={key} phone={pop.phone} sipCallId={pop.sipCallId} />
      ))}
    </section>
  );
}
