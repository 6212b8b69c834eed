import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';

/** A missed inbound call as the call log recorded it on the server. */
export interface MissedCall {
  /** call_log.id */
  id: string;
  orgCode: string;
  agentId: string;
  /** The caller's number as the exchange presented it. */
  number: string;
  startedAt: string;
  endedAt: string;
  /** 'missed' (nobody answered) or 'rejected' (turned away, e.g. do-not-disturb). */
  outcome: 'missed' | 'rejected';
}

/**
 * The one place a missed inbound call ("cevapsız çağrı") leads to follow-up. The call-log
 * applier calls it once per call, inside the push transaction, right after the call row is
 * written with `callback_state = 'owed'`: the call is then on its organisation's missed-call
 * queue (GET /calls/missed, shown above the callback queue) until someone returns it.
 *
 * A missed call has no ŞÖK yet (the citizen may only want information), so it is not turned into
 * a ŞÖK callback task with registration number and decision: it is owed as a call. Returns the
 * highest change sequence written (none: the queue is read from the central API).
 */
export async function callMissed(trx: Kysely<Database>, call: MissedCall): Promise<number> {
  void trx;
  void call;
  return 0;
}

/**
 * An answered outbound call from an organisation to a number settles every call that
 * organisation owed that number from before it ("geri arandı"), whoever returns it.
 */
export async function callReturned(
  trx: Kysely<Database>,
  call: { orgCode: string; number: string; startedAt: string; by: string; at: string },
): Promise<number> {
  const result = await trx
    .updateTable('call_log')
    .set({ callback_state: 'done', callback_by: call.by, callback_at: call.at })
    .where('org_code', '=', call.orgCode)
    .where('number', '=', call.number)
    .where('callback_state', '=', 'owed')
    .where('started_at', '<=', call.startedAt)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
