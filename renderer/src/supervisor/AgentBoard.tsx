import { useEffect, useState } from 'react';
import {
  AGENT_STATE_NAMES,
  BREAK_REASON_NAMES,
  type AgentStateRow,
} from '../../../src/domain/call';
import type { ReferenceSnapshot } from '../../../src/domain/reference';
import { call } from '../bridge';
import { FormError } from '../fields';
import { orgShortName } from '../org-options';
import { sv } from './texts';

/** m:ss or h:mm:ss */
function clock(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/**
 * The live agent board: each agent's state and how long they have been in it, and today's
 * answered and missed calls with the average handle and wrap-up time. Read from the central API
 * every 2 seconds (the time in state ticks every second in between).
 */
export function AgentBoard({ reference }: { reference: ReferenceSnapshot }) {
  const [agents, setAgents] = useState<AgentStateRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    let live = true;
    const load = () =>
      call('supervisor.agents', {}).then(
        (list) => {
          if (!live) return;
          setAgents(list);
          setError(null);
        },
        (e: unknown) => live && setError((e as Error).message),
      );
    void load();
    const poll = setInterval(() => void load(), 2000);
    const tick = setInterval(() => setNow(Date.now()), 1000);
    return () => {
      live = false;
      clearInterval(poll);
      clearInterval(tick);
    };
  }, []);

  return (
    <section className="panel" aria-labelledby="sv-agents-title" id="sv-agents">
      <h2 id="sv-agents-title">{sv('agents')}</h2>
      <FormError message={error} />
      {agents && agents.length === 0 ? <p className="muted">{sv('agentsNone')}</p> : null}
      {agents && agents.length > 0 ? (
        <table className="queue-table">
          <thead>
            <tr>
              <th>{sv('agent')}</th>
              <th>{sv('org')}</th>
              <th>{sv('agentState')}</th>
              <th>{sv('inState')}</th>
              <th>{sv('answeredToday')}</th>
              <th>{sv('missedToday')}</th>
              <th>{sv('avgHandle')}</th>
              <th>{sv('avgWrapUp')}</th>
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
