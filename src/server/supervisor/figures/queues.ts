import { sql } from 'kysely';
import {
  QUEUE_COLUMNS,
  queueTotal,
  UNREACHABLE_QUEUE_DAYS,
  type QueueCounts,
  type QueueItem,
  type QueueItemsResponse,
  type QueueKind,
  type QueuesResponse,
} from '../../../domain/supervisor';
import { visibilityFor } from '../../scope';
import { sokToWire, type SokRow } from '../../sync/sok-rows';
import { addDays, istanbulDay, istanbulDayStart } from '../period';
import { n, visibleSoks, type FigureContext } from './context';

/** The queues: what waits at each organisation now, and the ŞÖKs behind each count. */

const emptyCounts = (org: string, orgName: string): QueueCounts => ({
  org,
  orgName,
  new: 0,
  accepted: 0,
  overdue: 0,
  dueToday: 0,
  later: 0,
  unreachable: 0,
  total: 0,
});

/** End of the Istanbul day `now` falls on. */
function endOfToday(now: Date): string {
  return istanbulDayStart(addDays(istanbulDay(now), 1));
}

function unreachableSince(now: Date): string {
  return new Date(now.getTime() - UNREACHABLE_QUEUE_DAYS * 86_400_000).toISOString();
}

/**
 * Per organisation: new, in evaluation, callbacks overdue, due today and due later, unreachable
 * (last 30 days); each item in exactly one column, the row total their sum.
 */
export async function queueCounts(ctx: FigureContext): Promise<QueuesResponse> {
  const { db, user, now, names } = ctx;
  const nowIso = now.toISOString();
  const scope = visibilityFor(user);
  // Three narrow index ranges rather than one OR over the table.
  const [waiting, open, unreachable] = await Promise.all([
    db
      .selectFrom('sok')
      .select(['target_org as org', 'status', (eb) => eb.fn.countAll<string>().as('count')])
      .where('status', 'in', ['routed', 'accepted'])
      .where('deleted', '=', 0)
      .where(scope)
      .groupBy(['target_org', 'status'])
      .execute(),
    db
      .selectFrom('sok')
      .select([
        'callback_owner_org as org',
        sql<string>`sum(case when callback_due_at < ${nowIso} then 1 else 0 end)`.as('overdue'),
        sql<string>`sum(case when callback_due_at >= ${nowIso} and callback_due_at < ${endOfToday(now)} then 1 else 0 end)`.as(
          'due_today',
        ),
        sql<string>`sum(case when callback_due_at >= ${endOfToday(now)} then 1 else 0 end)`.as(
          'later',
        ),
      ])
      .where('callback_state', '=', 'open')
      .where('deleted', '=', 0)
      .where(scope)
      .groupBy('callback_owner_org')
      .execute(),
    db
      .selectFrom('sok')
      .select(['callback_owner_org as org', (eb) => eb.fn.countAll<string>().as('count')])
      .where('callback_state', '=', 'unreachable')
      .where('callback_closed_at', '>=', unreachableSince(now))
      .where('deleted', '=', 0)
      .where(scope)
      .groupBy('callback_owner_org')
      .execute(),
  ]);
  const rows = new Map<string, QueueCounts>();
  const row = (org: string) => {
    let r = rows.get(org);
    if (!r) {
      r = emptyCounts(org, names.org(org));
      rows.set(org, r);
    }
    return r;
  };
  for (const w of waiting) {
    if (w.org === null) continue;
    if (w.status === 'routed') row(w.org).new += n(w.count);
    else row(w.org).accepted += n(w.count);
  }
  for (const c of open) {
    if (c.org === null) continue;
    row(c.org).overdue += n(c.overdue);
    row(c.org).dueToday += n(c.due_today);
    row(c.org).later += n(c.later);
  }
  for (const c of unreachable) {
    if (c.org !== null) row(c.org).unreachable += n(c.count);
  }
  for (const r of rows.values()) r.total = queueTotal(r);
  const sorted = [...rows.values()]
    .filter((r) => r.total > 0)
    .sort((a, b) => b.overdue - a.overdue || a.orgName.localeCompare(b.orgName, 'tr'));
  const totals = emptyCounts('', 'Toplam');
  for (const r of sorted) {
    for (const c of QUEUE_COLUMNS) totals[c.field] += r[c.field];
  }
  totals.total = queueTotal(totals);
  return { asOf: nowIso, rows: sorted, totals };
}
/** The ŞÖKs behind one queue count, oldest promise first, contact details masked (KVKK). */
export async function queueItems(
  ctx: FigureContext & { viewerOrg: string },
  query: { queue: QueueKind; org: string; limit: number; offset: number },
): Promise<QueueItemsResponse> {
  const { now } = ctx;
  const nowIso = now.toISOString();
  let q = visibleSoks(ctx);
  switch (query.queue) {
    case 'new':
    case 'accepted':
      q = q
        .where('status', '=', query.queue === 'new' ? 'routed' : 'accepted')
        .where('target_org', '=', query.org);
      break;
    case 'due-today':
      q = q
        .where('callback_state', '=', 'open')
        .where('callback_owner_org', '=', query.org)
        .where('callback_due_at', '>=', nowIso)
        .where('callback_due_at', '<', endOfToday(now));
      break;
    case 'later':
      q = q
        .where('callback_state', '=', 'open')
        .where('callback_owner_org', '=', query.org)
        .where('callback_due_at', '>=', endOfToday(now));
      break;
    case 'overdue':
      q = q
        .where('callback_state', '=', 'open')
        .where('callback_owner_org', '=', query.org)
        .where('callback_due_at', '<', nowIso);
      break;
    case 'unreachable':
      q = q
        .where('callback_state', '=', 'unreachable')
        .where('callback_owner_org', '=', query.org)
        .where('callback_closed_at', '>=', unreachableSince(now));
      break;
  }
  const byCallback = query.queue !== 'new' && query.queue !== 'accepted';
  const [total, rows] = await Promise.all([
    q.select((eb) => eb.fn.countAll<string>().as('count')).executeTakeFirstOrThrow(),
    q
      .selectAll()
      .orderBy(byCallback ? 'callback_due_at' : 'created_at')
      .orderBy('id')
      .limit(query.limit)
      .offset(query.offset)
      .execute(),
  ]);
  const items: QueueItem[] = (rows as SokRow[]).map((row) => {
    const wire = sokToWire(row, ctx.viewerOrg);
    return {
      id: wire.id,
      regNo: wire.regNo,
      status: wire.status,
      topicCode: wire.topicCode,
      districtCode: wire.districtCode,
      originOrg: wire.originOrg,
      targetOrg: wire.targetOrg,
      createdAt: wire.createdAt,
      citizenName: wire.citizenName,
      citizenPhone: wire.citizenPhone,
      contactMasked: wire.contactMasked,
      callbackOwnerOrg: wire.callback?.ownerOrg ?? null,
      callbackDueAt: wire.callback?.dueAt ?? null,
      callbackState: wire.callback?.state ?? null,
      claimedByName: wire.callback?.state === 'open' ? wire.callback.claimedByName : null,
      attempts: wire.callback?.attempts ?? 0,
      escalation: wire.callback?.escalation ?? 0,
    };
  });
  return { items, total: n(total.count) };
}
