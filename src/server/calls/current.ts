import type { AgentCallView, AgentStateKind } from '../../domain/call';

/**
 * A desk refreshes its access token only when it next talks to the API (its sync runs at least
 * every 30 s), so a live desk's token may have run out a little while ago.
 */
export const PRESENCE_GRACE_SECONDS = 120;

/** An agent's reported call with what decides whether it is still on (one joined row). */
export interface ReportedCall {
  phase: AgentCallView['phase'] | null;
  direction: AgentCallView['direction'] | null;
  startedAt: string | null;
  answeredAt: string | null;
  /** When the desk reported it. */
  at: string | null;
  /** The session that delivered the report: null when it is gone (deleted after it expired). */
  session: { revokedAt: string | null; accessExpiresAt: string } | null;
  /** The linked ŞÖK's number, already null when the reader may not see that ŞÖK. */
  regNo: string | null;
}

/**
 * The call the live board shows for an agent, or null. A call is on from the desk's report until
 * the desk reports it over, and no longer than the agent is evidently there: it is dropped when
 * the agent's desk reports "offline" after it, and when the session that reported it has ended
 * (signed out, revoked) or has not been renewed for the presence grace past its access token's
 * expiry (the desk crashed or lost the network and never came back). A desk that restarts
 * reports that it has no call.
 */
export function boardCall(
  reported: ReportedCall,
  agent: { state: AgentStateKind; since: string },
  now: Date,
): AgentCallView | null {
  const { phase, direction, startedAt, at, session } = reported;
  if (phase === null || direction === null || startedAt === null || at === null) return null;
  if (agent.state === 'offline' && agent.since >= at) return null;
  if (session === null || session.revokedAt !== null) return null;
  const lapse = Date.parse(session.accessExpiresAt) + PRESENCE_GRACE_SECONDS * 1000;
  if (lapse <= now.getTime()) return null;
  return { phase, direction, startedAt, answeredAt: reported.answeredAt, regNo: reported.regNo };
}
