import { startPeriodicJob } from '../periodic';
import type { Clock } from '../clock';
import type { ServerDb } from '../db/open';
import { withWriteLock } from '../db/write-lock';
import type { ChangeNotifier } from '../changefeed/notifier';
import type { ReferenceIndex } from '../sync/mutations';
import type { SokRow } from '../sync/sok-rows';
import { claimLapsed, perform } from './apply';
import { remindExternalOrgs } from '../notifications/external';

export interface SweepStats {
  claimsExpired: number;
  escalated: number;
}

/**
 * Nothing expires silently: every pass finds open callbacks whose claim ran out (they return to
 * the pool, with a timeline entry) and callbacks past their due time (flagged to the owning
 * organisation's supervisor, and one working day later to BİKOM's supervisors, with an e-mail
 * each time). Each ŞÖK is handled in its own short write transaction, re-read under the lock,
 * so a desk's concurrent push always wins or loses cleanly.
 */
export async function sweepCallbacks(
  db: ServerDb,
  reference: ReferenceIndex,
  notifier: ChangeNotifier,
  now: Date,
): Promise<SweepStats> {
  const stats: SweepStats = { claimsExpired: 0, escalated: 0 };
  const nowIso = now.toISOString();
  const candidates = await db
    .selectFrom('sok')
    .select('id')
    .where('callback_state', '=', 'open')
    .where((eb) =>
      eb.or([
        eb('claim_until', '<=', nowIso),
        eb.and([
          eb('callback_due_at', '<=', nowIso),
          eb(eb.fn.coalesce('escalation_level', eb.lit(0)), '<', 2),
        ]),
      ]),
    )
    .orderBy('callback_due_at')
    .limit(1000)
    .execute();
  let lastSeq = 0;
  const calendar = await reference.workflow.calendars.get(db, now.getTime());
  for (const { id } of candidates) {
    const seq = await withWriteLock(db, async (trx) => {
      let row = (await trx
        .selectFrom('sok')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst()) as SokRow | undefined;
      let seq = 0;
      const acting = { trx, reference, now, actor: null };
      if (row && claimLapsed(row, now)) {
        const done = await perform(acting, row, { type: 'expire-claim' });
        if (done.ok) {
          stats.claimsExpired += 1;
          seq = done.seq;
          row = done.row;
        }
      }
      if (row?.callback_state === 'open' && row.callback_due_at && row.callback_due_at <= nowIso) {
        const level = row.escalation_level ?? 0;
        const bikomAt = calendar.addWorkingDays(new Date(row.callback_due_at), 1);
        const wanted = now >= bikomAt ? 2 : 1;
        for (let l = level + 1; l <= wanted; l += 1) {
          const done = await perform(acting, row, { type: 'escalate', level: l as 1 | 2 });
          if (!done.ok) break;
          stats.escalated += 1;
          seq = done.seq;
          row = done.row;
        }
      }
      return seq;
    });
    lastSeq = Math.max(lastSeq, seq);
  }
  // Organisations outside the app that did not answer in time: reminded once (docs/mailbox.md).
  lastSeq = Math.max(lastSeq, (await remindExternalOrgs(db, reference, now)).lastSeq);
  if (lastSeq > 0) await notifier.publish(lastSeq);
  return stats;
}

/** Runs the sweep every `intervalSeconds` (0: never) until closed. */
export function startCallbackSweeper(options: {
  db: ServerDb;
  reference: ReferenceIndex;
  notifier: ChangeNotifier;
  clock: Clock;
  intervalSeconds: number;
  log: (message: string, error: unknown) => void;
}): { close(): Promise<void> } {
  // A slow pass is never overlapped by the next one.
  return startPeriodicJob(options.intervalSeconds, () =>
    sweepCallbacks(options.db, options.reference, options.notifier, options.clock()).then(
      () => undefined,
      (error: unknown) => options.log('callback sweep failed', error),
    ),
  );
}
