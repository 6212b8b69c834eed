import type { FastifyInstance } from 'fastify';
import { contract } from '../../domain/api';
import { istanbulDay, istanbulInstant } from '../../domain/calendar/calendar';
import { agentDayFigures, type AgentStateRow, type CallLogEntry } from '../../domain/call';
import { authOf, requireRole } from '../auth/context';
import type { AppDeps } from '../app-deps';
import { withWriteLock } from '../db/write-lock';
import { contractRoute } from '../http/contract-route';
import { conflict, notFound } from '../http/errors';
import { canSee, visibilityRule } from '../scope';
import { boardCall } from './current';
import { registerUndeliveredCallRoute } from './undelivered';

/**
 * What supervisors read about the phones: agents' current states (with the call each is on) and
 * missed inbound calls.
 * Scope is the ŞÖK rule's: BİKOM supervisors and admins see every organisation, anyone else
 * their own.
 */
export function registerCallRoutes(
  app: FastifyInstance,
  deps: Pick<AppDeps, 'db' | 'clock'>,
): void {
  const { db } = deps;
  const supervisors = requireRole('supervisor', 'admin');
  const staff = requireRole('agent', 'desk', 'supervisor', 'admin');
  registerUndeliveredCallRoute(app, deps);
  const orgFilter = (request: Parameters<typeof authOf>[0]) => {
    const rule = visibilityRule(authOf(request).user);
    return rule.kind === 'all' ? null : rule.orgCode;
  };

  contractRoute(app, contract.calls.agentStates, { onRequest: supervisors }, async (request) => {
    const org = orgFilter(request);
    const { user } = authOf(request);
    const rows = await db
      .selectFrom('agent_state as s')
      .innerJoin('app_user as u', 'u.id', 's.user_id')
      // The call each desk last reported, the session that reported it, and its linked ŞÖK.
      .leftJoin('agent_call as c', 'c.user_id', 's.user_id')
      .leftJoin('session as ss', 'ss.id', 'c.session_id')
      .leftJoin('sok as k', 'k.id', 'c.sok_id')
      .select(['s.user_id', 'u.display_name', 's.org_code', 's.state', 's.reason', 's.since'])
      .select([
        'c.phase',
        'c.direction',
        'c.started_at as call_started_at',
        'c.answered_at as call_answered_at',
        'c.at as call_at',
        'ss.id as session_id',
        'ss.revoked_at as session_revoked_at',
        'ss.access_expires_at as session_expires_at',
        'k.reg_no',
        'k.origin_org',
        'k.target_org',
      ])
      .$if(org !== null, (q) => q.where('s.org_code', '=', org!))
      .orderBy('s.org_code')
      .orderBy('u.display_name')
      .execute();
    const now = deps.clock();
    // Today's calls of these agents (a day's worth of rows), for the live board's figures.
    const dayStart = istanbulInstant(istanbulDay(now), 0).toISOString();
    const calls = await db
      .selectFrom('call_log')
      .select(['agent_id', 'direction', 'outcome', 'duration_seconds', 'ended_at', 'wrapped_up_at'])
      .where('started_at', '>=', dayStart)
      .$if(org !== null, (q) => q.where('org_code', '=', org!))
      .execute();
    const figures = agentDayFigures(
      calls.map((c) => ({
        agentId: c.agent_id,
        direction: c.direction,
        outcome: c.outcome,
        durationSeconds: Number(c.duration_seconds),
        endedAt: c.ended_at,
        wrappedUpAt: c.wrapped_up_at,
      })),
    );
    const none = { answered: 0, missed: 0, avgHandleSeconds: null, avgWrapUpSeconds: null };
    const agents: AgentStateRow[] = rows.map((x) => {
      const state = x.state as AgentStateRow['state'];
      // KVKK: the board learns direction, times and the ŞÖK number, never the citizen's number.
      const call = boardCall(
        {
          phase: x.phase,
          direction: x.direction,
          startedAt: x.call_started_at,
          answeredAt: x.call_answered_at,
          at: x.call_at,
          session:
            x.session_id === null || x.session_expires_at === null
              ? null
              : { revokedAt: x.session_revoked_at, accessExpiresAt: x.session_expires_at },
          regNo:
            x.reg_no !== null &&
            x.origin_org !== null &&
            canSee(user, { origin_org: x.origin_org, target_org: x.target_org })
              ? x.reg_no
              : null,
        },
        { state, since: x.since },
        now,
      );
      return {
        today: figures.get(x.user_id) ?? none,
        userId: x.user_id,
        displayName: x.display_name,
        orgCode: x.org_code,
        state,
        reason: x.reason as AgentStateRow['reason'],
        since: x.since,
        call,
      };
    });
    return { agents };
  });

  contractRoute(app, contract.calls.missed, { onRequest: staff }, async (request) => {
    // Supervisors of BİKOM see every organisation's; everyone else their own organisation's.
    const { user } = authOf(request);
    const org =
      user.role === 'supervisor' || user.role === 'admin' ? orgFilter(request) : user.orgCode;
    const { since, limit, state } = request.query;
    const rows = await db
      .selectFrom('call_log')
      .selectAll()
      .where('callback_state', 'is not', null)
      .$if(state === 'owed', (q) => q.where('callback_state', '=', 'owed'))
      .$if(org !== null, (q) => q.where('org_code', '=', org!))
      .$if(since !== undefined, (q) => q.where('started_at', '>=', since!))
      .orderBy('started_at', 'desc')
      .limit(limit)
      .execute();
    // A caller who left the call line unanswered: how long they waited (the line's record).
    const ids = [...new Set(rows.map((x) => x.sip_call_id))];
    const onLine =
      ids.length === 0
        ? []
        : await db
            .selectFrom('line_caller')
            .select(['sip_call_id', 'arrived_at', 'ended_at'])
            .where('sip_call_id', 'in', ids)
            .where('answered_at', 'is', null)
            .where('ended_at', 'is not', null)
            .execute();
    const waited = new Map(
      onLine.map((c) => [
        c.sip_call_id,
        Math.max(0, Math.round((Date.parse(c.ended_at!) - Date.parse(c.arrived_at)) / 1000)),
      ]),
    );
    const calls: (Omit<CallLogEntry, 'pending'> & {
      orgCode: string;
      callbackState: string;
      waitSeconds: number | null;
    })[] = rows.map((x) => ({
      id: x.id,
      sipCallId: x.sip_call_id,
      direction: x.direction,
      number: x.number,
      agentId: x.agent_id,
      orgCode: x.org_code,
      startedAt: x.started_at,
      answeredAt: x.answered_at,
      endedAt: x.ended_at,
      durationSeconds: Number(x.duration_seconds),
      outcome: x.outcome as CallLogEntry['outcome'],
      endReason: x.end_reason,
      disposition: x.disposition as CallLogEntry['disposition'],
      sokId: x.sok_id,
      note: x.note,
      wrappedUpAt: x.wrapped_up_at,
      callbackState: x.callback_state ?? '',
      waitSeconds: x.direction === 'inbound' ? (waited.get(x.sip_call_id) ?? null) : null,
    }));
    return { calls };
  });

  contractRoute(
    app,
    contract.calls.settle,
    { onRequest: requireRole('agent', 'desk', 'supervisor') },
    async (request) => {
      const { user } = authOf(request);
      const at = deps.clock().toISOString();
      const row = await withWriteLock(db, async (trx) => {
        const call = await trx
          .selectFrom('call_log')
          .select(['id', 'org_code', 'callback_state'])
          .where('id', '=', request.params.id)
          .executeTakeFirst();
        if (!call || call.org_code !== user.orgCode) return null;
        if (call.callback_state !== 'owed') return { ...call, settledBefore: true };
        await trx
          .updateTable('call_log')
          .set({
            callback_state: request.body.state,
            callback_by: user.id,
            callback_at: at,
            callback_note: request.body.note,
          })
          .where('id', '=', call.id)
          .execute();
        return { ...call, callback_state: request.body.state, settledBefore: false };
      });
      if (row === null) throw notFound('No such missed call in your organisation.');
      if (row.settledBefore) {
        throw conflict('conflict', `This call was already settled (${row.callback_state}).`, {
          userMessage: 'Bu cevapsız çağrı zaten sonuçlandırılmış.',
        });
      }
      return { id: row.id, callbackState: row.callback_state };
    },
  );
}
