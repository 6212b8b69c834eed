import type { Selectable } from 'kysely';
import type { Change } from '../../domain/sync';
import type { ServerDb } from '../db/open';
import type { Database } from '../db/schema';
import { currentChangeSeq } from '../db/write-lock';
import { receiptChangesSince, receiptToWire } from '../notifications/store';
import { visibilityFor, type ScopeUser, type Visibility } from '../scope';
import type { PageRead } from './live';
import { SOK_WIRE_COLUMNS, sokToWire } from './sok-rows';

/**
 * One page of the pull feed (docs/sync.md) for a visibility rule, read in one snapshot: the ŞÖKs,
 * access revocations, events and receipts after `cursor`, at most `limit` changes, with the
 * cursor to go on from.
 */
export async function readPullPage(
  db: ServerDb,
  rule: Visibility,
  user: ScopeUser,
  cursor: number,
  limit: number,
): Promise<PageRead> {
  // One snapshot for the page and the cursor, so nothing committed in between is skipped.
  // (SQLite transactions are already serialised.)
  const transaction =
    db.dialect === 'postgres'
      ? db.transaction().setIsolationLevel('repeatable read')
      : db.transaction();
  const page = await transaction.execute(async (trx) => {
    const soks = await trx
      .selectFrom('sok')
      .select([...SOK_WIRE_COLUMNS, 'change_seq'])
      .where('change_seq', '>', cursor)
      .where(visibilityFor(user))
      .orderBy('change_seq')
      .limit(limit + 1)
      .execute();
    const revocations =
      rule.kind === 'all'
        ? []
        : await trx
            .selectFrom('access_revocation')
            .select(['seq', 'sok_id'])
            .where('seq', '>', cursor)
            .where('org_code', '=', rule.orgCode)
            .orderBy('seq')
            .limit(limit + 1)
            .execute();
    // Who sees everything needs no join: read straight down the change_seq index. For an
    // organisation, events and receipts are read from the next `scan` sequence numbers of
    // their table (seq-driven, whatever the planner would estimate), then filtered by the
    // ŞÖK's organisations; when the scan was cut short, the page is complete only up to
    // the last sequence number scanned (`bound`).
    let bound = Number.POSITIVE_INFINITY;
    const scan = Math.max(1000, 4 * (limit + 1));
    // The next `scan` rows of the table after the cursor that concern a ŞÖK the user sees.
    const visibleAfterScan = async <T extends 'sok_event' | 'notification'>(table: T) => {
      const end = await trx
        .selectFrom(table as 'sok_event')
        .select('change_seq')
        .where('change_seq', '>', cursor)
        .orderBy('change_seq')
        .limit(1)
        .offset(scan - 1)
        .executeTakeFirst();
      if (end !== undefined) bound = Math.min(bound, Number(end.change_seq));
      const rows = await trx
        .with(
          (wb) => wb('recent').materialized(),
          (qb) =>
            qb
              .selectFrom(table as 'sok_event')
              .selectAll()
              .where('change_seq', '>', cursor)
              .orderBy('change_seq')
              .limit(scan),
        )
        .selectFrom('recent')
        .innerJoin('sok', 'sok.id', 'recent.sok_id')
        .selectAll('recent')
        .where(visibilityFor(user))
        .orderBy('recent.change_seq')
        .limit(limit + 1)
        .execute();
      return rows as unknown as Selectable<Database[T]>[];
    };
    let events;
    let receipts;
    if (rule.kind === 'all') {
      events = await trx
        .selectFrom('sok_event')
        .selectAll()
        .where('change_seq', '>', cursor)
        .orderBy('change_seq')
        .limit(limit + 1)
        .execute();
      receipts = await receiptChangesSince(trx, user, cursor, limit + 1);
    } else {
      events = await visibleAfterScan('sok_event');
      receipts = (await visibleAfterScan('notification')).map((row) => ({
        seq: Number(row.change_seq),
        op: 'receipt' as const,
        receipt: receiptToWire(row),
      }));
    }
    const head = await currentChangeSeq(trx);
    return { soks, revocations, events, receipts, head, bound };
  });
  const changes: Change[] = [
    ...page.soks.map((row) => ({
      seq: Number(row.change_seq),
      op: 'upsert' as const,
      sok: sokToWire(row, user.orgCode),
    })),
    ...page.revocations.map((row) => ({
      seq: Number(row.seq),
      op: 'remove' as const,
      id: row.sok_id,
    })),
    ...page.events.map((row) => ({
      seq: Number(row.change_seq),
      op: 'event' as const,
      event: {
        id: row.id,
        sokId: row.sok_id,
        kind: row.kind,
        actorId: row.actor_id,
        actorOrg: row.actor_org,
        at: row.at,
        note: row.note,
        data: row.data === null ? null : (JSON.parse(row.data) as Record<string, unknown>),
      },
    })),
    ...page.receipts,
  ]
    .filter((c) => c.seq <= page.bound)
    .sort((a, b) => a.seq - b.seq);
  if (changes.length > limit) {
    const taken = changes.slice(0, limit);
    return { head: page.head, changes: taken, cursor: taken.at(-1)?.seq ?? cursor, more: true };
  }
  if (page.bound !== Number.POSITIVE_INFINITY) {
    // Complete up to the end of the scan: go on from there.
    return { head: page.head, changes, cursor: Math.max(cursor, page.bound), more: true };
  }
  return { head: page.head, changes, cursor: Math.max(cursor, page.head), more: false };
}
