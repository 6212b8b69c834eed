import { startPeriodicJob } from '../periodic';
import { sql, type Kysely } from 'kysely';
import type { Clock } from '../clock';
import type { ServerDb } from '../db/open';
import type { Database, StatsBasis } from '../db/schema';
import { complete, ENDED, informedWithinLegalLimit, monthRange } from './stats';

/**
 * Keeps the monthly supervisor figures (`sok_stats`) exact. Triggers on `sok` (migration 0010)
 * mark the months a write touches as dirty; this recomputes dirty months once they are over and
 * clears a marker only if no write marked the month again meanwhile. The current month (and
 * due months ahead) stay dirty: the figures read them live anyway, and they change all the time.
 */

/** Months refreshed in one pass after which the table's planner statistics are renewed. */
const ANALYZE_AFTER_MONTHS = 12;

/** Advisory lock (transaction-scoped) held while one month is recomputed: one refresher at a time. */
const REFRESH_LOCK_KEY = 15_310;

// Each ŞÖK counts for '*', its origin, and its receiver when that is another organisation:
// exactly who may see it (src/server/scope.ts).
const VIEWERS = sql`(select 1 as k union all select 2 union all select 3) v`;
const VIEWER = sql`case v.k when 1 then '*' when 2 then s.origin_org else s.target_org end`;
const COUNTS_FOR_VIEWER = sql`(v.k < 3 or (s.target_org is not null and s.target_org <> s.origin_org))`;

const dims = (names: string[]) =>
  sql.raw(
    `(${names.map((d, i) => `select '${d}'${i === 0 ? ' as dim' : ''}`).join(' union all ')}) d`,
  );

/** Recomputes one month's rows of one basis from `sok` (its old rows already deleted). */
async function recompute(db: Kysely<Database>, basis: StatsBasis, month: string): Promise<void> {
  const r = monthRange(month);
  if (basis === 'created') {
    await sql`
      insert into sok_stats (basis, month, viewer, dim, "key", n, ended, legal_ok, on_time)
      select 'created', ${month}, viewer, dim, "key", count(*), sum(ended), sum(legal_ok), 0
      from (
        select ${VIEWER} as viewer, d.dim,
          case d.dim
            when 'topic' then s.topic_code
            when 'district' then s.district_code
            when 'org' then coalesce(s.target_org, '')
            when 'channel' then s.channel_code
            else s.origin_org || '>' || coalesce(s.target_org, '')
          end as "key",
          s.ended, s.legal_ok
        from (
          select origin_org, target_org, topic_code, district_code, channel_code,
            case when ${ENDED} then 1 else 0 end as ended,
            case when ${ENDED} and ${informedWithinLegalLimit(db)} then 1 else 0 end as legal_ok
          from sok
          where created_at >= ${r.start} and created_at < ${r.end} and deleted = 0
        ) s
        cross join ${VIEWERS}
        cross join ${dims(['topic', 'district', 'org', 'channel', 'flow'])}
        where ${COUNTS_FOR_VIEWER}
      ) x
      group by viewer, dim, "key"`.execute(db);
  } else {
    await sql`
      insert into sok_stats (basis, month, viewer, dim, "key", n, ended, legal_ok, on_time)
      select 'due', ${month}, viewer, dim, "key", count(*), sum(ended), 0, sum(on_time)
      from (
        select ${VIEWER} as viewer, d.dim,
          case d.dim
            when 'org' then coalesce(s.callback_owner_org, '')
            when 'district' then s.district_code
            else s.topic_code
          end as "key",
          s.ended, s.on_time
        from (
          select origin_org, target_org, callback_owner_org, district_code, topic_code,
            case when ${ENDED} then 1 else 0 end as ended,
            case when ${ENDED} and callback_closed_at <= callback_due_at then 1 else 0 end as on_time
          from sok
          where callback_due_at >= ${r.start} and callback_due_at < ${r.end}
            and callback_state in ('open', 'done', 'unreachable') and deleted = 0
        ) s
        cross join ${VIEWERS}
        cross join ${dims(['org', 'district', 'topic'])}
        where ${COUNTS_FOR_VIEWER}
      ) x
      group by viewer, dim, "key"`.execute(db);
  }
}

export type MonthOutcome =
  /** Recomputed and the marker cleared. */
  | 'refreshed'
  /** Recomputed, but a write marked the month again meanwhile: it stays dirty (read live). */
  | 'changed'
  /** Nothing to do: not dirty (any more). */
  | 'clean'
  /** Another instance is refreshing (PostgreSQL): try at the next pass. */
  | 'busy';

export interface RefreshHooks {
  /** Tests: runs after the month was recomputed, before its marker is cleared. */
  afterRecompute?: (trx: Kysely<Database>) => Promise<void>;
}

/**
 * One month in one transaction: read the marker's seq, replace the month's rows, delete the
 * marker if its seq is unchanged. On PostgreSQL (read committed) the recompute's snapshot is
 * taken after the seq was read, so a write it misses changes the seq — before, or while the
 * delete waits for the writer's row lock, after which PostgreSQL re-checks the condition — and
 * the marker stays. On SQLite the transaction holds the write lock throughout.
 */
export async function refreshMonth(
  db: ServerDb,
  basis: StatsBasis,
  month: string,
  hooks: RefreshHooks = {},
): Promise<MonthOutcome> {
  return db.transaction().execute(async (trx) => {
    if (db.dialect === 'postgres') {
      const lock = await sql<{ locked: boolean }>`
        select pg_try_advisory_xact_lock(${sql.lit(REFRESH_LOCK_KEY)}) as locked`.execute(trx);
      if (lock.rows[0]?.locked !== true) return 'busy';
    }
    const marker = await trx
      .selectFrom('sok_stats_dirty')
      .select('seq')
      .where('basis', '=', basis)
      .where('month', '=', month)
      .executeTakeFirst();
    if (marker === undefined) return 'clean';
    await trx
      .deleteFrom('sok_stats')
      .where('basis', '=', basis)
      .where('month', '=', month)
      .execute();
    await recompute(trx, basis, month);
    await hooks.afterRecompute?.(trx);
    const cleared = await trx
      .deleteFrom('sok_stats_dirty')
      .where('basis', '=', basis)
      .where('month', '=', month)
      .where('seq', '=', Number(marker.seq))
      .executeTakeFirst();
    return Number(cleared.numDeletedRows) > 0 ? 'refreshed' : 'changed';
  });
}

export interface RefreshResult {
  refreshed: number;
  changed: number;
  /** Dirty months not over yet (read live; refreshed once over). */
  pending: number;
  /** Stopped because another instance is refreshing. */
  busy: boolean;
  /** Months whose recompute failed: they stay dirty (read live) and are tried again next pass. */
  failed: { basis: StatsBasis; month: string; error: unknown }[];
}

/**
 * Recomputes every dirty month that is over, newest first (the months supervisors look at
 * most). The current month (and due months ahead) stay dirty: the figures read them live anyway,
 * and they change all the time.
 */
export async function refreshSupervisorStats(
  db: ServerDb,
  now: Date,
  hooks: RefreshHooks = {},
): Promise<RefreshResult> {
  const dirty = await db
    .selectFrom('sok_stats_dirty')
    .select(['basis', 'month'])
    .orderBy('month', 'desc')
    .orderBy('basis')
    .execute();
  const result: RefreshResult = { refreshed: 0, changed: 0, pending: 0, busy: false, failed: [] };
  for (const { basis, month } of dirty) {
    if (!complete(month, now)) {
      result.pending += 1;
      continue;
    }
    let outcome: MonthOutcome;
    try {
      outcome = await refreshMonth(db, basis, month, hooks);
    } catch (error) {
      // One month that cannot be computed must not hold the others back.
      result.failed.push({ basis, month, error });
      continue;
    }
    if (outcome === 'busy') {
      result.busy = true;
      break;
    }
    if (outcome === 'refreshed') result.refreshed += 1;
    if (outcome === 'changed') result.changed += 1;
  }
  // After a large pass (the first one after the migration) PostgreSQL's planner would go on
  // guessing until autovacuum analyzes the table, and a guess can scan every month of a viewer.
  if (db.dialect === 'postgres' && result.refreshed >= ANALYZE_AFTER_MONTHS) {
    await sql`analyze sok_stats`.execute(db);
  }
  return result;
}

/** Refreshes every `intervalSeconds` (0: never; tests call {@link refreshSupervisorStats}). */
export function startStatsRefresher(options: {
  db: ServerDb;
  clock: Clock;
  intervalSeconds: number;
  log: {
    debug: (details: object, message: string) => void;
    error: (details: object, message: string) => void;
  };
}): { close(): Promise<void> } {
  // A slow pass (the first one after the migration) is never overlapped by the next.
  return startPeriodicJob(options.intervalSeconds, async () => {
    const started = Date.now();
    try {
      const { failed, ...result } = await refreshSupervisorStats(options.db, options.clock());
      for (const f of failed) {
        options.log.error(
          { err: f.error, basis: f.basis, month: f.month },
          'supervisor stats: a month could not be refreshed; it stays dirty (read live)',
        );
      }
      if (result.refreshed + result.changed > 0 || result.busy) {
        options.log.debug({ ...result, ms: Date.now() - started }, 'supervisor stats refreshed');
      }
    } catch (error) {
      options.log.error({ err: error }, 'supervisor stats refresh failed; months stay dirty');
    }
  });
}
