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
 * written with `callback_state = 'owed'`; whatever it writes commits or rolls back with the call.
 *
 * Today the owed callback is visible as that state (GET /calls/missed lists them). The callback
 * lifecycle plugs in here: create the callback task for `call` with `trx` and set the row's
 * `callback_state` to what it tracks. Return the highest change sequence written (0 for none),
 * so desks are poked to pull it.
 */
export async function callMissed(trx: Kysely<Database>, call: MissedCall): Promise<number> {
  void trx;
  void call;
  return 0;
}
