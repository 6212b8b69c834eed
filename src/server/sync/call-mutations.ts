import { talkSeconds, isMissedCall } from '../../domain/call';
import { t } from '../../domain/i18n/tr';
import { mutationPayloads, type MutationError } from '../../domain/sync';
import { fieldErrors } from '../../domain/validation';
import {
  answeredByAnyone,
  callbackAlreadyOwed,
  settleAnsweredCall,
} from '../calls/answered-elsewhere';
import { callMissed, callReturned } from '../calls/missed';
import { canSee } from '../scope';
import type { ApplyContext, ApplyOutcome } from './apply-context';

/**
 * Appliers of the softphone's mutations: the call log, its wrap-up, the agent's state and the
 * call they are on. They write no ŞÖK changes, so they need no change sequence (seq 0) unless the
 * missed-call hook does. Each is idempotent (on its own id, or by comparing report times), on
 * top of the stream's mutation log.
 */
const INVALID = 'Çağrı bilgileri geçersiz.';
const reject = (error: MutationError): ApplyOutcome => ({
  status: 'rejected',
  error,
  entity: null,
});
const applied = (seq = 0): ApplyOutcome => ({ status: 'applied', seq });

export async function applyCallLog(ctx: ApplyContext, raw: unknown): Promise<ApplyOutcome> {
  const parsed = mutationPayloads['call.log'].safeParse(raw);
  if (!parsed.success) {
    return reject({ code: 'validation', message: INVALID, fields: fieldErrors(parsed.error) });
  }
  const p = parsed.data;
  const { user } = ctx.auth;
  const existing = await ctx.trx
    .selectFrom('call_log')
    .select('agent_id')
    .where('id', '=', p.id)
    .executeTakeFirst();
  if (existing) {
    // The same call sent again (another stream of the same agent, a resend): nothing to do.
    return existing.agent_id === user.id
      ? applied()
      : reject({ code: 'conflict', message: 'Bu çağrı kaydı başka bir temsilciye ait.' });
  }
  let missed = isMissedCall(p);
  if (p.direction === 'inbound') {
    // The exchange reported this call as undelivered (POST /calls/undelivered), or the line as
    // abandoned, but the desk saw it after all: the desk's record, with its agent and times,
    // replaces the exchange's (the line then points at it).
    const replaced = await ctx.trx
      .selectFrom('call_log')
      .select('id')
      .where('sip_call_id', '=', p.sipCallId)
      .where('direction', '=', 'inbound')
      .where('client_id', 'like', 'api-key:%')
      .where('callback_state', '=', 'owed')
      .execute();
    if (replaced.length > 0) {
      const ids = replaced.map((r) => r.id);
      await ctx.trx.deleteFrom('call_log').where('id', 'in', ids).execute();
      await ctx.trx
        .updateTable('line_caller')
        .set({ call_log_id: p.id })
        .where('call_log_id', 'in', ids)
        .execute();
    }
    if (p.outcome === 'answered') {
      // Desks that rang and logged it missed before this answer arrived owe nothing.
      await settleAnsweredCall(ctx.trx, p.sipCallId);
    } else if (
      missed &&
      ((await answeredByAnyone(ctx.trx, p.sipCallId)) ||
        (await callbackAlreadyOwed(ctx.trx, p.sipCallId)))
    ) {
      // Rang here, answered by another agent, or already owed through another desk's record:
      // the agent's call log keeps it, the missed-call queue does not owe it (again).
      missed = false;
    }
  }
  await ctx.trx
    .insertInto('call_log')
    .values({
      id: p.id,
      org_code: user.orgCode,
      agent_id: user.id,
      client_id: ctx.auth.clientId,
      sip_call_id: p.sipCallId,
      direction: p.direction,
      number: p.number,
      started_at: p.startedAt,
      answered_at: p.answeredAt,
      ended_at: p.endedAt,
      duration_seconds: talkSeconds(p.answeredAt, p.endedAt),
      outcome: p.outcome,
      end_reason: p.endReason,
      callback_state: missed ? 'owed' : null,
      recorded_at: ctx.now.toISOString(),
    })
    .execute();
  if (!missed) {
    if (p.direction === 'outbound' && p.outcome === 'answered') {
      await callReturned(ctx.trx, {
        orgCode: user.orgCode,
        number: p.number,
        startedAt: p.startedAt,
        by: user.id,
        at: ctx.now.toISOString(),
      });
    }
    return applied();
  }
  const seq = await callMissed(ctx.trx, {
    id: p.id,
    orgCode: user.orgCode,
    agentId: user.id,
    number: p.number,
    startedAt: p.startedAt,
    endedAt: p.endedAt,
    outcome: p.outcome as 'missed' | 'rejected',
  });
  return applied(seq);
}

export async function applyCallWrapUp(ctx: ApplyContext, raw: unknown): Promise<ApplyOutcome> {
  const parsed = mutationPayloads['call.wrapUp'].safeParse(raw);
  if (!parsed.success) {
    return reject({ code: 'validation', message: INVALID, fields: fieldErrors(parsed.error) });
  }
  const p = parsed.data;
  const call = await ctx.trx
    .selectFrom('call_log')
    .select(['agent_id'])
    .where('id', '=', p.callId)
    .executeTakeFirst();
  if (!call || call.agent_id !== ctx.auth.user.id) {
    return reject({ code: 'not-found', message: t('phone.callNotFound') });
  }
  if (p.sokId !== null) {
    const sok = await ctx.trx
      .selectFrom('sok')
      .select(['origin_org', 'target_org'])
      .where('id', '=', p.sokId)
      .executeTakeFirst();
    if (!sok || !canSee(ctx.auth.user, sok)) {
      return reject({
        code: 'validation',
        message: INVALID,
        fields: { sokId: t('phone.sokNotFound') },
      });
    }
  }
  await ctx.trx
    .updateTable('call_log')
    .set({ disposition: p.disposition, sok_id: p.sokId, note: p.note, wrapped_up_at: p.at })
    .where('id', '=', p.callId)
    .execute();
  return applied();
}

export async function applyAgentState(ctx: ApplyContext, raw: unknown): Promise<ApplyOutcome> {
  const parsed = mutationPayloads['agent.state'].safeParse(raw);
  if (!parsed.success) {
    return reject({
      code: 'validation',
      message: 'Temsilci durumu geçersiz.',
      fields: fieldErrors(parsed.error),
    });
  }
  const p = parsed.data;
  const { user } = ctx.auth;
  const seen = await ctx.trx
    .selectFrom('agent_state_history')
    .select('id')
    .where('id', '=', p.id)
    .executeTakeFirst();
  if (seen) return applied();
  const nowIso = ctx.now.toISOString();
  // A desk's clock may run ahead; never record a state change in the server's future.
  const at = p.at > nowIso ? nowIso : p.at;
  await ctx.trx
    .insertInto('agent_state_history')
    .values({
      id: p.id,
      user_id: user.id,
      org_code: user.orgCode,
      state: p.state,
      reason: p.reason,
      at,
      recorded_at: nowIso,
    })
    .execute();
  const current = await ctx.trx
    .selectFrom('agent_state')
    .select('since')
    .where('user_id', '=', user.id)
    .executeTakeFirst();
  const row = { org_code: user.orgCode, state: p.state, reason: p.reason, since: at };
  if (!current) {
    await ctx.trx
      .insertInto('agent_state')
      .values({ user_id: user.id, ...row, updated_at: nowIso })
      .execute();
  } else if (current.since <= at) {
    // Changes from an offline desk may arrive late: only a newer one becomes current.
    await ctx.trx
      .updateTable('agent_state')
      .set({ ...row, updated_at: nowIso })
      .where('user_id', '=', user.id)
      .execute();
  }
  return applied();
}

/**
 * The call the agent's desk is on, or none (docs/supervisor.md, the live agent board). Only a
 * report at least as new as the current one replaces it, so a late "call started" from a desk
 * that was offline never brings back a call that has ended. Nothing is refused for what it
 * names (a ŞÖK the server did not accept is simply not shown): the report is background
 * information the agent never asked to send, so a refusal would only puzzle them.
 */
export async function applyAgentCall(ctx: ApplyContext, raw: unknown): Promise<ApplyOutcome> {
  const parsed = mutationPayloads['agent.call'].safeParse(raw);
  if (!parsed.success) {
    return reject({ code: 'validation', message: INVALID, fields: fieldErrors(parsed.error) });
  }
  const p = parsed.data;
  const { user, sessionId } = ctx.auth;
  const nowIso = ctx.now.toISOString();
  // One text form for every time (ordering compares text), never in the server's future.
  const time = (iso: string) => {
    const normal = new Date(iso).toISOString();
    return normal > nowIso ? nowIso : normal;
  };
  const at = time(p.at);
  const call = p.call;
  const row = {
    org_code: user.orgCode,
    session_id: sessionId,
    call_id: call?.id ?? null,
    phase: call?.phase ?? null,
    direction: call?.direction ?? null,
    started_at: call ? time(call.startedAt) : null,
    answered_at: call?.answeredAt ? time(call.answeredAt) : null,
    sok_id: call?.sokId ?? null,
    at,
    updated_at: nowIso,
  };
  const current = await ctx.trx
    .selectFrom('agent_call')
    .select('at')
    .where('user_id', '=', user.id)
    .executeTakeFirst();
  if (!current) {
    await ctx.trx
      .insertInto('agent_call')
      .values({ user_id: user.id, ...row })
      .execute();
  } else if (current.at <= at) {
    await ctx.trx.updateTable('agent_call').set(row).where('user_id', '=', user.id).execute();
  }
  return applied();
}
