import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { Clock } from '../clock';
import { dialectOf } from '../db/columns';
import type { ServerDb } from '../db/open';
import type { Database, StatsBasis } from '../db/schema';
import { visibilityRule, type ScopeUser } from '../scope';
import { istanbulDay, istanbulDayStart, type UtcRange } from './period';

/**
 * Monthly supervisor figures (`sok_stats`, migration 0010) and the refresher that keeps them
 * exact. Triggers on `sok` mark the months a write touches; the refresher recomputes dirty
 * months once they are over and clears a marker only if no write marked it again meanwhile. A
 * month is read from the stats only when it is not marked dirty and
 *
 * - over (complete), for the counts that do not change with time: volumes, and callbacks ended
 *   or on time by due month;
 * - *settled* — over for {@link SETTLE_DAYS} days, so every ŞÖK registered in it is past its
 *   30-day legal limit — for the legal limit (counted = registered only then).
 *
 * Everything else is read live from `sok` (src/server/supervisor/figures.ts).
 */

const DAY_MS = 86_400_000;

/** Days after its end before a month is read from the stats (the legal limit, Law 3071 art. 7). */
export const SETTLE_DAYS = 30;

/** Months refreshed in one pass after which the table's planner statistics are renewed. */
const ANALYZE_AFTER_MONTHS = 12;

/** Advisory lock (transaction-scoped) held while one month is recomputed: one refresher at a time. */
const REFRESH_LOCK_KEY = 15_310;

const ENDED = sql<SqlBool>`callback_state in ('done', 'unreachable')`;

/** `created_at + 30 days` compared with when the callback ended, in each dialect. */
export function informedWithinLegalLimit(db: Kysely<Database>): RawBuilder<SqlBool> {
  return dialectOf(db) === 'postgres'
    ? sql<SqlBool>`(callback_closed_at::timestamptz <= created_at::timestamptz + interval '30 days')`
    : sql<SqlBool>`(callback_closed_at <= strftime('%Y-%m-%dT%H:%M:%fZ', created_at, '+30 days'))`;
}

/** The stats' viewer for a user: '*' for those who see every ŞÖK, else their organisation. */
export function viewerOf(user: ScopeUser): string {
  const rule = visibilityRule(user);
  return rule.kind === 'all' ? '*' : rule.orgCode;
}

function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/** An Istanbul month (YYYY-MM) as a half-open UTC range. */
export function monthRange(month: string): UtcRange {
  return {
    start: istanbulDayStart(`${month}-01`),
    end: istanbulDayStart(`${nextMonth(month)}-01`),
  };
}

/** Whether a month is over at `now` (and so worth recomputing once and for all). */
export function complete(month: string, now: Date): boolean {
  return Date.parse(monthRange(month).end) <= now.getTime();
}

/** Whether every ŞÖK registered in a month is past its legal limit: it ended ≥ 30 days ago. */
export function settled(month: string, now: Date): boolean {
  return Date.parse(monthRange(month).end) <= now.getTime() - SETTLE_DAYS * DAY_MS;
}

export interface ReadPlan {
  /** Months read from `sok_stats`, ascending. */
  months: string[];
  /** The same months as contiguous UTC ranges. */
  statsRanges: UtcRange[];
  /** The rest of the range, read from `sok`. */
  live: UtcRange[];
}

/** Joins ranges that touch or overlap (ISO UTC text compares as time). */
export function mergeRanges(ranges: readonly UtcRange[]): UtcRange[] {
  const sorted = [...ranges]
    .filter((r) => r.start < r.end)
    .sort((a, b) => (a.start < b.start ? -1 : 1));
  const out: UtcRange[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && r.start <= last.end) {
      if (r.end > last.end) last.end = r.end;
    } else {
      out.push({ ...r });
    }
  }
  return out;
}

/**
 * Splits a range into the whole months that `usable` allows (read from the stats) and the
 * rest (partial months at either end, recent and dirty months: read live).
 */
export function planRange(range: UtcRange, usable: (month: string) => boolean): ReadPlan {
  const months: string[] = [];
  const statsRanges: UtcRange[] = [];
  if (range.start < range.end) {
    const last = istanbulDay(new Date(Date.parse(range.end) - 1)).slice(0, 7);
    for (let m = istanbulDay(new Date(range.start)).slice(0, 7); m <= last; m = nextMonth(m)) {
      const r = monthRange(m);
      if (r.start >= range.start && r.end <= range.end && usable(m)) {
        months.push(m);
        statsRanges.push(r);
      }
    }
  }
  const merged = mergeRanges(statsRanges);
  const live: UtcRange[] = [];
  let at = range.start;
  for (const r of merged) {
    if (at < r.start) live.push({ start: at, end: r.start });
    at = r.end;
  }
  if (at < range.end) live.push({ start: at, end: range.end });
  return { months, statsRanges: merged, live };
}

/** Which months each figure may read from the stats. */
export interface Usable {
  /** ŞÖKs by registration month (basis 'created'): complete and clean. */
  volumes: (month: string) => boolean;
  /** The legal limit by registration month (basis 'created'): settled and clean. */
  legal: (month: string) => boolean;
  /** Callbacks by due month (basis 'due'): complete and clean. */
  due: (month: string) => boolean;
}

/** Which months may be read from the stats now. */
export async function usableMonths(db: Kysely<Database>, now: Date): Promise<Usable> {
  const dirty = await db.selectFrom('sok_stats_dirty').select(['basis', 'month']).execute();
  const set = new Set(dirty.map((d) => `${d.basis}:${d.month}`));
  const clean = (basis: StatsBasis, month: string) => !set.has(`${basis}:${month}`);
  return {
    volumes: (month) => clean('created', month) && complete(month, now),
    legal: (month) => clean('created', month) && settled(month, now),
    due: (month) => clean('due', month) && complete(month, now),
  };
}

/** Nothing from the stats: every figure computed from `sok` (tests compare the two). */
export const NO_STATS: Usable = { volumes: () => false, legal: () => false, due: () => false };

export interface StatsRow {
  month: string;
  dim: string;
  key: string;
  n: number;
  ended: number;
  legal_ok: number;
  on_time: number;
}

/** The stats of some months for one viewer, summed over the months unless `byMonth`. */
export async function readStats(
  db: Kysely<Database>,
  query: { basis: StatsBasis; viewer: string; months: string[]; dims: string[]; byMonth?: boolean },
): Promise<StatsRow[]> {
  if (query.months.length === 0 || query.dims.length === 0) return [];
  const rows = await db
    .selectFrom('sok_stats')
    .select([
      query.byMonth === true ? 'month' : sql<string>`''`.as('month'),
      'dim',
      'key',
      (eb) => eb.fn.sum<number>('n').as('n'),
      (eb) => eb.fn.sum<number>('ended').as('ended'),
      (eb) => eb.fn.sum<number>('legal_ok').as('legal_ok'),
      (eb) => eb.fn.sum<number>('on_time').as('on_time'),
    ])
    .where('basis', '=', query.basis)
    .where('month', 'in', query.months)
    .where('viewer', '=', query.viewer)
    .where('dim', 'in', query.dims)
    .groupBy(query.byMonth === true ? ['month', 'dim', 'key'] : ['dim', 'key'])
    .execute();
  return rows.map((r) => ({
    month: r.month,
    dim: r.dim,
    key: r.key,
    n: Number(r.n),
    ended: Number(r.ended),
    legal_ok: Number(r.legal_ok),
    on_time: Number(r.on_time),
  }));
}

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
  if (options.intervalSeconds <= 0) return { close: () => Promise.resolve() };
  let running: Promise<unknown> | null = null;
  let stopped = false;
  const pass = () => {
    // A slow pass (the first one after the migration) is never overlapped by the next.
    if (stopped || running !== null) return;
    const started = Date.now();
    running = refreshSupervisorStats(options.db, options.clock())
      .then(({ failed, ...result }) => {
        for (const f of failed) {
          options.log.error(
            { err: f.error, basis: f.basis, month: f.month },
            'supervisor stats: a month could not be refreshed; it stays dirty (read live)',
          );
        }
        if (result.refreshed + result.changed > 0 || result.busy) {
          options.log.debug({ ...result, ms: Date.now() - started }, 'supervisor stats refreshed');
        }
      })
      .catch((error: unknown) =>
        options.log.error({ err: error }, 'supervisor stats refresh failed; months stay dirty'),
      )
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(pass, options.intervalSeconds * 1000);
  timer.unref();
  pass();
  return {
    async close() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
