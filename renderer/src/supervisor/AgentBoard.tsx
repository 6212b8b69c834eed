import {
  AGENT_STATE_NAMES,
  BREAK_REASON_NAMES,
  type AgentCallView,
} from '../../../src/domain/call';
import type { ReferenceSnapshot } from '../../../src/domain/reference';
import { call } from '../bridge';
import { FormError } from '../ui/fields';
import { useNow, usePolledRead } from '../ui/use-polled-read';
import { orgShortName } from '../ui/org-options';
import { ui } from '../i18n';

/** m:ss or h:mm:ss */
function clock(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** How often the board is read: a change reaches it within this plus the desk's push. */
const POLL_MS = 1000;

/** "Görüşmede · Gelen · 2:15 · ŞÖK 2026-000123": never the citizen's number (KVKK). */
function CallCell({ call, now }: { call: AgentCallView | null; now: number }) {
  if (!call) return <td className="agent-call">—</td>;
  const phase =
    call.phase === 'talking'
      ? ui('supervisor.callTalking')
      : call.direction === 'inbound'
        ? ui('supervisor.callRinging')
        : ui('supervisor.callDialling');
  const from = Date.parse(call.answeredAt ?? call.startedAt);
  return (
    <td className={`agent-call agent-call-${call.phase}`}>
      <strong>{phase}</strong> ·{' '}
      {call.direction === 'inbound' ? ui('supervisor.callIn') : ui('supervisor.callOut')} ·{' '}
      <time>{clock((now - from) / 1000)}</time>
      {call.regNo ? ` · ${ui('supervisor.callSok')} ${call.regNo}` : ''}
    </td>
  );
}

/**
 * The live agent board: each agent's state and how long they have been in it, the call they are
 * on (ringing or talking, direction, duration, linked ŞÖK), and today's answered and missed calls
 * with the average handle and wrap-up time. Read from the central API every second (one read at
 * a time); the durations tick every second in between.
 */
export function AgentBoard({ reference }: { reference: ReferenceSnapshot }) {
  const { value: agents, error } = usePolledRead(() => call('supervisor.agents', {}), POLL_MS);
  const now = useNow();

  return (
    <section className="panel" aria-labelledby="sv-agents-title" id="sv-agents">
      <h2 id="sv-agents-title">{ui('supervisor.agents')}</h2>
      <FormError message={error} />
      {agents && agents.length === 0 ? (
        <p className="muted">{ui('supervisor.agentsNone')}</p>
      ) : null}
      {agents && agents.length > 0 ? (
        <table className="queue-table">
          <thead>
            <tr>
              <th>{ui('supervisor.agent')}</th>
              <th>{ui('supervisor.org')}</th>
              <th>{ui('supervisor.agentState')}</th>
              <th>{ui('supervisor.inState')}</th>
              <th>{ui('supervisor.callNow')}</th>
              <th>{ui('supervisor.answeredToday')}</th>
              <th>{ui('supervisor.missedToday')}</th>
              <th>{ui('supervisor.avgHandle')}</th>
              <th>{ui('supervisor.avgWrapUp')}</th>
            </tr>
          </thead>
          <tbody>
            {agents.map((a) => (
              <tr key={a.userId} className={`agent-${a.state}`} data-user-id={a.userId}>
                <td>{a.displayName}</td>
                <td>{orgShortName(reference.organisations, a.orgCode)}</td>
                <td>
                  {AGENT_STATE_NAMES[a.state]}
                  {a.reason ? ` (${BREAK_REASON_NAMES[a.reason]})` : ''}
                </td>
                <td>{clock((now - Date.parse(a.since)) / 1000)}</td>
                <CallCell call={a.call} now={now} />
                <td>{a.today.answered}</td>
                <td>{a.today.missed}</td>
                <td>{a.today.avgHandleSeconds === null ? '—' : clock(a.today.avgHandleSeconds)}</td>
                <td>{a.today.avgWrapUpSeconds === null ? '—' : clock(a.today.avgWrapUpSeconds)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
