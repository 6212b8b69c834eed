import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';

/**
 * One inbound call may ring at several desks (the line offers it to one agent after another; the
 * SIP front's fallback rings every agent at once): each desk logs it with the same SIP Call-ID.
 * The call is owed a callback only when nobody answered it, and then once. Every writer of such a
 * record (a desk's call log, the line) calls these inside the write lock, so whichever of "rang
 * here, missed" and "answered there" arrives first, the call ends owed once or not at all.
 */

/** Whether anyone answered the inbound call: a desk's answered record, or the line's. */
export async function answeredByAnyone(trx: Kysely<Database>, sipCallId: string): Promise<boolean> {
  const logged = await trx
    .selectFrom('call_log')
    .select('id')
    .where('sip_call_id', '=', sipCallId)
    .where('direction', '=', 'inbound')
    .where('outcome', '=', 'answered')
    .executeTakeFirst();
  if (logged) return true;
  const line = await trx
    .selectFrom('line_caller')
    .select('seq')
    .where('sip_call_id', '=', sipCallId)
    .where('answered_at', 'is not', null)
    .executeTakeFirst();
  return line !== undefined;
}

/** Whether another record of the call already owes (or owed, now settled) its callback. */
export async function callbackAlreadyOwed(
  trx: Kysely<Database>,
  sipCallId: string,
): Promise<boolean> {
  const row = await trx
    .selectFrom('call_log')
    .select('id')
    .where('sip_call_id', '=', sipCallId)
    .where('direction', '=', 'inbound')
    .where('callback_state', 'is not', null)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Someone answered the call: the desks that logged it missed before the answer was known owe
 * nothing. Their records stay in their call logs, no longer on the missed-call queue (as if the
 * answer had come first). Returns how many were settled.
 */
export async function settleAnsweredCall(
  trx: Kysely<Database>,
  sipCallId: string,
): Promise<number> {
  const result = await trx
    .updateTable('call_log')
    .set({ callback_state: null })
    .where('sip_call_id', '=', sipCallId)
    .where('direction', '=', 'inbound')
    .where('callback_state', '=', 'owed')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
