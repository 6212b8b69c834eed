import {
  AGENT_STATE_NAMES,
  BREAK_REASON_NAMES,
  BREAK_REASONS,
  type AgentStateKind,
  type BreakReason,
} from '../../../src/domain/call';
import { usePhoneSession } from './session';
import { usePhone } from './store';
import { ui } from '../i18n';

const SELECTABLE: AgentStateKind[] = ['available', 'break', 'dnd'];

/** In the header, always visible: the phone's registration and the agent's state. */
export function PhoneStatus() {
  const registration = usePhone((s) => s.registration);
  const view = usePhoneSession((s) => s.view);
  const agent = usePhoneSession((s) => s.agent);
  const setAgentState = usePhoneSession((s) => s.setAgentState);
  const lineNotReady = usePhoneSession((s) => s.lineNotReady);
  const openSettings = usePhoneSession((s) => s.openSettings);
  const configured = view?.settings != null && view.hasPassword;
  const state = agent?.state ?? 'offline';
  const options = SELECTABLE.includes(state) ? SELECTABLE : [state, ...SELECTABLE];

  return (
    <div className="phone-status" role="group" aria-label="Telefon durumu">
      <button
        type="button"
        id="phone-registration"
        className={`phone-registration-badge state-${configured ? registration.kind : 'unconfigured'}`}
        title={registration.kind === 'failed' ? registration.message : ui('phone.settings')}
        onClick={() => openSettings(true)}
      >
        {configured ? registration.message : ui('phone.notSetUp')}
      </button>
      {configured ? (
        <>
          <select
            id="agent-state"
            aria-label={ui('phone.agentState')}
            value={state}
            onChange={(e) => {
              const next = e.target.value as AgentStateKind;
              void setAgentState(next, next === 'break' ? 'mola' : null);
            }}
          >
            {options.map((s) => (
              <option key={s} value={s} disabled={!SELECTABLE.includes(s)}>
                {AGENT_STATE_NAMES[s]}
              </option>
            ))}
          </select>
          {state === 'break' && lineNotReady !== null ? (
            <span
              id="agent-line-reason"
              className="agent-line-reason"
              role="status"
              title={lineNotReady.reasonText}
            >
              {ui('phone.lineNotReady')} <span className="muted">({lineNotReady.reasonText})</span>
            </span>
          ) : state === 'break' ? (
            <select
              id="agent-break-reason"
              aria-label={ui('phone.breakReason')}
              value={agent?.reason ?? 'mola'}
              onChange={(e) => void setAgentState('break', e.target.value as BreakReason)}
            >
              {BREAK_REASONS.map((r) => (
                <option key={r} value={r}>
                  {BREAK_REASON_NAMES[r]}
                </option>
              ))}
            </select>
          ) : null}
        </>
      ) : null}
    </div>
  );
}
