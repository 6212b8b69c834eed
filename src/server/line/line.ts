import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import {
  rankAgents,
  NO_ANSWER_REASON,
  type LineAgent,
  type LineConfig,
} from '../../domain/call-queue';
import { canonicalPhone } from '../../domain/phone';
import { settleAnsweredCall } from '../calls/answered-elsewhere';
import { callMissed } from '../calls/missed';
import type { ServerDb } from '../db/open';
import type { Database, LineCallerTable } from '../db/schema';
import { WRITE_LOCK_KEY } from '../db/write-lock';

/**
 * The line's state machine on the database (docs/telephony.md). Every step runs in one
 * transaction holding the line's lock: on PostgreSQL a transaction-scoped advisory lock keyed by
 * the line number (several API instances then hand callers out one at a time, in order); on
 * SQLite the IMMEDIATE transaction. Nothing lives in an instance's memory.
 */

/** Seconds without a word from the SIP front after which a waiting caller is taken as lost. */
export const STALE_CALLER_SECONDS = 60;
/** Seconds past an offer's ring time after which an unreported offer no longer holds its agent. */
const OFFER_GRACE_SECONDS = 10;

export type LineDecision =
  | {
      action: 'ring';
      offerId: string;
      /** The SIP user of the agent's phone: the SIP front rings sip:<extension>@<its domain>. */
      extension: string;
      agentId: string;
      ringTimeoutSeconds: number;
      position: 0;
    }
  | { action: 'wait'; position: number; waiting: number; retryAfterMs: number }
  | {
      action: 'end';
      reason: 'max-wait' | 'gone';
      /** The missed call owed a callback (call_log.id), when one was recorded. */
      missedCallId: string | null;
    }
  | { action: 'answered' };

export interface SipFront {
  /** The API key's account and stream: missed calls are recorded under them. */
  userId: string;
  clientId: string;
}

type Trx = Transaction<Database>;
type CallerRow = Selectable<LineCallerTable>;

const plus = (iso: string, seconds: number) =>
  new Date(Date.parse(iso) + seconds * 1000).toISOString();

/** Runs `fn` holding the line's lock (see above). */
export async function withLineLock<T>(
  db: ServerDb,
  line: string,
  fn: (trx: Trx) => Promise<T>,
): Promise<T> {
  return db.transaction().execute(async (trx) => {
    if (db.dialect === 'postgres') {
      // Two-key form: its own key space, apart from the server-wide write lock's single key.
      await sql`select pg_advisory_xact_lock(${sql.lit(WRITE_LOCK_KEY)}, hashtext(${line}))`.execute(
        trx,
      );
    }
    return fn(trx);
  });
}

async function callerBySipId(trx: Kysely<Database>, sipCallId: string) {
  return trx
    .selectFrom('line_caller')
    .selectAll()
    .where('sip_call_id', '=', sipCallId)
    .executeTakeFirst();
}

export async function lineOfCall(db: Kysely<Database>, sipCallId: string): Promise<string | null> {
  const row = await db
    .selectFrom('line_caller')
    .select('line')
    .where('sip_call_id', '=', sipCallId)
    .executeTakeFirst();
  return row?.line ?? null;
}

/** The agents of the line's organisation as the selection policy needs them. */
export async function lineAgents(trx: Kysely<Database>, orgCode: string, now: string) {
  const rows = await trx
    .selectFrom('app_user as u')
    .innerJoin('agent_state as s', 's.user_id', 'u.id')
    .leftJoin('line_agent as a', 'a.user_id', 'u.id')
    .leftJoin('agent_call as c', 'c.user_id', 'u.id')
    .select(['u.id', 'u.org_code', 's.state', 's.since', 'a.extension', 'a.skills', 'c.phase'])
    .where('u.org_code', '=', orgCode)
    .where('u.active', '=', 1)
    .execute();
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  // Offers that hold their agent: ringing (until shortly after the ring time) or answered and
  // not yet ended, unless the agent's desk has reported a newer call state or agent state since.
  const holding = await trx
    .selectFrom('line_offer as o')
    .leftJoin('agent_call as c', 'c.user_id', 'o.agent_id')
    .innerJoin('agent_state as s', 's.user_id', 'o.agent_id')
    .select([
      'o.agent_id',
      'o.outcome',
      'o.ring_until',
      'o.answered_at',
      'c.at as call_at',
      's.since',
    ])
    .where('o.agent_id', 'in', ids)
    .where('o.outcome', 'in', ['ringing', 'answered'])
    .where('o.ended_at', 'is', null)
    .execute();
  const busy = new Set<string>();
  for (const o of holding) {
    if (o.outcome === 'ringing' && plus(o.ring_until, OFFER_GRACE_SECONDS) > now) {
      busy.add(o.agent_id);
    }
    if (
      o.outcome === 'answered' &&
      o.answered_at !== null &&
      (o.call_at === null || o.call_at <= o.answered_at) &&
      o.since <= o.answered_at
    ) {
      busy.add(o.agent_id);
    }
  }
  // The end of each agent's last call (desk's call log, or an answered line call): idle since.
  const lastLogged = await trx
    .selectFrom('call_log')
    .select(['agent_id', (eb) => eb.fn.max('ended_at').as('last')])
    .where('agent_id', 'in', ids)
    .groupBy('agent_id')
    .execute();
  const lastOffered = await trx
    .selectFrom('line_offer')
    .select(['agent_id', (eb) => eb.fn.max('ended_at').as('last')])
    .where('agent_id', 'in', ids)
    .groupBy('agent_id')
    .execute();
  const last = new Map<string, string>();
  for (const r of [...lastLogged, ...lastOffered]) {
    if (r.last === null) continue;
    const prev = last.get(r.agent_id);
    if (prev === undefined || r.last > prev) last.set(r.agent_id, r.last);
  }
  return rows.map((r): LineAgent => {
    const ended = last.get(r.id);
    return {
      userId: r.id,
      orgCode: r.org_code,
      state: r.state,
      extension: r.extension ?? null,
      busy: busy.has(r.id) || r.phase !== null,
      idleSince: ended !== undefined && ended > r.since ? ended : r.since,
      skills: r.skills === null ? [] : (JSON.parse(r.skills) as string[]),
    };
  });
}

/** Callers still on the line (waiting or ringing at an agent), oldest first. */
export async function callersOnLine(trx: Kysely<Database>, line: string) {
  return trx
    .selectFrom('line_caller')
    .selectAll()
    .where('line', '=', line)
    .where('state', 'in', ['waiting', 'offered'])
    .orderBy('seq')
    .execute();
}

/** The missed call owed for a caller who left the line unanswered: the call log's path. */
async function recordMissed(
  trx: Trx,
  db: ServerDb,
  caller: CallerRow,
  front: SipFront,
  reason: 'hangup' | 'max-wait' | 'lost',
  now: string,
): Promise<string> {
  if (db.dialect === 'postgres') {
    // callMissed may allocate change sequences: those are allocated under the write lock.
    await sql`select pg_advisory_xact_lock(${sql.lit(WRITE_LOCK_KEY)})`.execute(trx);
  }
  // The agent's desk logged the ring it missed with the same Call-ID: one call, one row.
  const existing = await trx
    .selectFrom('call_log')
    .select('id')
    .where('sip_call_id', '=', caller.sip_call_id)
    .where('direction', '=', 'inbound')
    .executeTakeFirst();
  if (existing) return existing.id;
  const waited = Math.round((Date.parse(now) - Date.parse(caller.arrived_at)) / 1000);
  const why =
    reason === 'hangup'
      ? 'Arayan sırada beklerken kapattı'
      : reason === 'max-wait'
        ? 'En uzun bekleme süresi doldu'
        : 'Santral çağrıyı sırada kaybetti';
  const id = randomUUID();
  await trx
    .insertInto('call_log')
    .values({
      id,
      org_code: caller.org_code,
      agent_id: front.userId,
      client_id: front.clientId,
      sip_call_id: caller.sip_call_id,
      direction: 'inbound',
      number: caller.number,
      started_at: caller.arrived_at,
      answered_at: null,
      ended_at: now,
      duration_seconds: 0,
      outcome: 'missed',
      end_reason: `${why}: hat ${caller.line}, bekleme ${waited} sn`,
      callback_state: 'owed',
      recorded_at: now,
    })
    .execute();
  await callMissed(trx, {
    id,
    orgCode: caller.org_code,
    agentId: front.userId,
    number: caller.number,
    startedAt: caller.arrived_at,
    endedAt: now,
    outcome: 'missed',
  });
  return id;
}

async function leaveLine(
  trx: Trx,
  db: ServerDb,
  caller: CallerRow,
  front: SipFront,
  reason: 'hangup' | 'max-wait' | 'lost',
  now: string,
): Promise<string> {
  await settleOpenOffer(trx, caller, 'caller-gone', now);
  const missedId = await recordMissed(trx, db, caller, front, reason, now);
  await trx
    .updateTable('line_caller')
    .set({
      state: reason === 'max-wait' ? 'timed-out' : 'abandoned',
      ended_at: now,
      offer_id: null,
      call_log_id: missedId,
      last_seen_at: now,
    })
    .where('seq', '=', caller.seq)
    .execute();
  return missedId;
}

async function settleOpenOffer(trx: Trx, caller: CallerRow, outcome: string, now: string) {
  if (caller.offer_id === null) return;
  await trx
    .updateTable('line_offer')
    .set({ outcome, ended_at: now })
    .where('id', '=', caller.offer_id)
    .where('outcome', '=', 'ringing')
    .execute();
}

/** Callers the SIP front stopped asking about (it died, or lost the call): missed calls owed. */
async function dropLostCallers(
  trx: Trx,
  db: ServerDb,
  line: LineConfig,
  front: SipFront,
  now: string,
): Promise<void> {
  for (const caller of await callersOnLine(trx, line.number)) {
    const quiet =
      caller.state === 'offered'
        ? line.ringTimeoutSeconds + STALE_CALLER_SECONDS
        : STALE_CALLER_SECONDS;
    if (plus(caller.last_seen_at, quiet) < now) {
      await leaveLine(trx, db, caller, front, 'lost', now);
    }
  }
}

/**
 * What the SIP front does with this caller now: ring an agent, keep waiting (with the position),
 * or end the wait. A caller is offered an agent only when there are free agents enough for
 * everyone waiting ahead of them too.
 */
async function decide(
  trx: Trx,
  db: ServerDb,
  line: LineConfig,
  caller: CallerRow,
  front: SipFront,
  now: string,
  pollMs: number,
): Promise<LineDecision> {
  if (caller.state === 'answered' || caller.state === 'ended') return { action: 'answered' };
  if (caller.state === 'abandoned' || caller.state === 'timed-out') {
    return {
      action: 'end',
      reason: caller.state === 'timed-out' ? 'max-wait' : 'gone',
      missedCallId: caller.call_log_id,
    };
  }
  if (caller.state === 'offered' && caller.offer_id !== null) {
    // Asked again while ringing (a retry): the same offer.
    const offer = await trx
      .selectFrom('line_offer')
      .selectAll()
      .where('id', '=', caller.offer_id)
      .executeTakeFirstOrThrow();
    return {
      action: 'ring',
      offerId: offer.id,
      extension: offer.extension,
      agentId: offer.agent_id,
      ringTimeoutSeconds: line.ringTimeoutSeconds,
      position: 0,
    };
  }
  if (plus(caller.arrived_at, line.maxWaitSeconds) <= now) {
    const missedCallId = await leaveLine(trx, db, caller, front, 'max-wait', now);
    return { action: 'end', reason: 'max-wait', missedCallId };
  }
  await dropLostCallers(trx, db, line, front, now);
  const waiting = (await callersOnLine(trx, line.number)).filter((c) => c.state === 'waiting');
  const position = waiting.findIndex((c) => c.seq === caller.seq) + 1;
  if (position >= 1) {
    const offered = await trx
      .selectFrom('line_offer')
      .select('agent_id')
      .where('caller_seq', '=', caller.seq)
      .execute();
    // The caller at position k takes the k-th longest-idle free agent (the ones ahead take the
    // others): arrival order holds whichever caller's poll comes first.
    const agent =
      rankAgents(
        await lineAgents(trx, line.orgCode, now),
        line,
        new Set(offered.map((o) => o.agent_id)),
      )[position - 1] ?? null;
    if (agent !== null && agent.extension !== null) {
      const offerId = randomUUID();
      await trx
        .insertInto('line_offer')
        .values({
          id: offerId,
          caller_seq: caller.seq,
          agent_id: agent.userId,
          extension: agent.extension,
          outcome: 'ringing',
          offered_at: now,
          ring_until: plus(now, line.ringTimeoutSeconds),
        })
        .execute();
      await trx
        .updateTable('line_caller')
        .set({ state: 'offered', agent_id: agent.userId, offer_id: offerId, last_seen_at: now })
        .where('seq', '=', caller.seq)
        .execute();
      return {
        action: 'ring',
        offerId,
        extension: agent.extension,
        agentId: agent.userId,
        ringTimeoutSeconds: line.ringTimeoutSeconds,
        position: 0,
      };
    }
  }
  await trx
    .updateTable('line_caller')
    .set({ last_seen_at: now })
    .where('seq', '=', caller.seq)
    .execute();
  return { action: 'wait', position, waiting: waiting.length, retryAfterMs: pollMs };
}

export interface LineContext {
  db: ServerDb;
  front: SipFront;
  now: string;
  /** How soon the SIP front should ask again about a waiting caller. */
  pollMs: number;
}

/** A call to the line arrived (idempotent on its SIP Call-ID). */
export async function arrive(
  ctx: LineContext,
  line: LineConfig,
  call: { sipCallId: string; number: string },
): Promise<LineDecision & { created: boolean }> {
  return withLineLock(ctx.db, line.number, async (trx) => {
    let caller = await callerBySipId(trx, call.sipCallId);
    const created = caller === undefined;
    if (caller === undefined) {
      await trx
        .insertInto('line_caller')
        .values({
          id: randomUUID(),
          line: line.number,
          org_code: line.orgCode,
          sip_call_id: call.sipCallId,
          number: canonicalPhone(call.number),
          state: 'waiting',
          arrived_at: ctx.now,
          last_seen_at: ctx.now,
        })
        .execute();
      caller = (await callerBySipId(trx, call.sipCallId))!;
    }
    return {
      ...(await decide(trx, ctx.db, line, caller, ctx.front, ctx.now, ctx.pollMs)),
      created,
    };
  });
}

export type OfferResult = 'no-answer' | 'unreachable' | 'rejected';

/**
 * The SIP front asks again about a caller: after an offer failed (`result`), or while the
 * caller waits. An agent who let the call ring out or refused it is set not ready (Molada,
 * reason `cevapsiz`); an unreachable phone (dead link, not registered) sets the agent offline.
 */
/**
 * A waiting caller's poll while more callers wait ahead of them than agents are ready, all still
 * alive: the answer is "keep waiting" whatever happens meanwhile, so it is given without the line's lock (fifty callers
 * polling would otherwise queue on it). Null when the locked path must decide.
 */
async function waitBehindOthers(
  ctx: LineContext,
  line: LineConfig,
  sipCallId: string,
): Promise<LineDecision | null> {
  const caller = await callerBySipId(ctx.db, sipCallId);
  if (caller === undefined || caller.state !== 'waiting') return null;
  if (plus(caller.arrived_at, line.maxWaitSeconds) <= ctx.now) return null;
  const fresh = plus(ctx.now, -STALE_CALLER_SECONDS);
  const ahead = await ctx.db
    .selectFrom('line_caller')
    .select(['seq', 'last_seen_at'])
    .where('line', '=', line.number)
    .where('state', '=', 'waiting')
    .where('seq', '<', caller.seq)
    .execute();
  if (ahead.length === 0 || ahead.some((c) => c.last_seen_at < fresh)) return null;
  // Within reach of an agent who is ready (perhaps freed just now): the locked path decides, so
  // freed agents are filled in one round of polls, not one caller per poll interval.
  const ready = await ctx.db
    .selectFrom('agent_state')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('org_code', '=', line.orgCode)
    .where('state', '=', 'available')
    .executeTakeFirstOrThrow();
  if (ahead.length < Number(ready.n)) return null;
  const total = await ctx.db
    .selectFrom('line_caller')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('line', '=', line.number)
    .where('state', '=', 'waiting')
    .executeTakeFirstOrThrow();
  await ctx.db
    .updateTable('line_caller')
    .set({ last_seen_at: ctx.now })
    .where('seq', '=', caller.seq)
    .where('state', '=', 'waiting')
    .execute();
  return {
    action: 'wait',
    position: ahead.length + 1,
    waiting: Number(total.n),
    retryAfterMs: ctx.pollMs,
  };
}

export async function next(
  ctx: LineContext,
  line: LineConfig,
  sipCallId: string,
  failed: { offerId: string; result: OfferResult } | null,
): Promise<LineDecision | null> {
  if (failed === null) {
    const quick = await waitBehindOthers(ctx, line, sipCallId);
    if (quick !== null) return quick;
  }
  return withLineLock(ctx.db, line.number, async (trx) => {
    let caller = await callerBySipId(trx, sipCallId);
    if (caller === undefined) return null;
    if (failed !== null && caller.state === 'offered' && caller.offer_id === failed.offerId) {
      const offer = await trx
        .selectFrom('line_offer')
        .select(['agent_id'])
        .where('id', '=', failed.offerId)
        .executeTakeFirstOrThrow();
      await trx
        .updateTable('line_offer')
        .set({
          outcome: failed.result === 'unreachable' ? 'unreachable' : 'no-answer',
          ended_at: ctx.now,
        })
        .where('id', '=', failed.offerId)
        .execute();
      await setAgentNotReady(trx, offer.agent_id, failed.result === 'unreachable', ctx.now);
      await trx
        .updateTable('line_caller')
        .set({ state: 'waiting', agent_id: null, offer_id: null, last_seen_at: ctx.now })
        .where('seq', '=', caller.seq)
        .execute();
      caller = (await callerBySipId(trx, sipCallId))!;
    }
    return decide(trx, ctx.db, line, caller, ctx.front, ctx.now, ctx.pollMs);
  });
}

async function setAgentNotReady(trx: Trx, userId: string, offline: boolean, now: string) {
  const state = await trx
    .selectFrom('agent_state')
    .select(['org_code', 'state'])
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (!state || state.state !== 'available') return;
  const row = offline
    ? { state: 'offline', reason: null }
    : { state: 'break', reason: NO_ANSWER_REASON };
  await trx
    .updateTable('agent_state')
    .set({ ...row, since: now, updated_at: now })
    .where('user_id', '=', userId)
    .execute();
  await trx
    .insertInto('agent_state_history')
    .values({
      id: randomUUID(),
      user_id: userId,
      org_code: state.org_code,
      ...row,
      at: now,
      recorded_at: now,
    })
    .execute();
}

/** The offered agent answered. */
export async function answered(
  ctx: LineContext,
  line: LineConfig,
  sipCallId: string,
  offerId: string,
): Promise<'answered' | 'unknown-offer' | null> {
  return withLineLock(ctx.db, line.number, async (trx) => {
    const caller = await callerBySipId(trx, sipCallId);
    if (caller === undefined) return null;
    if (caller.state === 'answered' && caller.offer_id === offerId) return 'answered';
    if (caller.state !== 'offered' || caller.offer_id !== offerId) return 'unknown-offer';
    await trx
      .updateTable('line_offer')
      .set({ outcome: 'answered', answered_at: ctx.now })
      .where('id', '=', offerId)
      .execute();
    await trx
      .updateTable('line_caller')
      .set({ state: 'answered', answered_at: ctx.now, last_seen_at: ctx.now })
      .where('seq', '=', caller.seq)
      .execute();
    // Agents whose phones rang out before may have logged it missed already: nothing is owed.
    // Under the write lock, like the desks' call logs (src/server/calls/answered-elsewhere.ts).
    if (ctx.db.dialect === 'postgres') {
      await sql`select pg_advisory_xact_lock(${sql.lit(WRITE_LOCK_KEY)})`.execute(trx);
    }
    await settleAnsweredCall(trx, sipCallId);
    return 'answered';
  });
}

/**
 * The caller hung up (or the SIP front ended the call). Unanswered: a missed call owed a
 * callback with the wait; answered: the call is over and its agent free for the line.
 */
export async function ended(
  ctx: LineContext,
  line: LineConfig,
  sipCallId: string,
): Promise<{ state: string; missedCallId: string | null } | null> {
  return withLineLock(ctx.db, line.number, async (trx) => {
    const caller = await callerBySipId(trx, sipCallId);
    if (caller === undefined) return null;
    if (caller.state === 'waiting' || caller.state === 'offered') {
      const missedCallId = await leaveLine(trx, ctx.db, caller, ctx.front, 'hangup', ctx.now);
      return { state: 'abandoned', missedCallId };
    }
    if (caller.state === 'answered') {
      await trx
        .updateTable('line_offer')
        .set({ ended_at: ctx.now })
        .where('id', '=', caller.offer_id!)
        .execute();
      await trx
        .updateTable('line_caller')
        .set({ state: 'ended', ended_at: ctx.now, last_seen_at: ctx.now })
        .where('seq', '=', caller.seq)
        .execute();
      return { state: 'ended', missedCallId: null };
    }
    return { state: caller.state, missedCallId: caller.call_log_id };
  });
}
