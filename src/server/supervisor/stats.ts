import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import { dialectOf } from '../db/columns';
import type { Database, SokStatsTable, StatsBasis } from '../db/schema';
import { visibilityRule, type ScopeUser } from '../scope';
import { istanbulDay, istanbulDayStart, type UtcRange } from './period';

/**
 * Reading the monthly supervisor figures (`sok_stats`, migration 0010; kept exact by triggers on
 * `sok` and ./stats-refresher.ts). A month is read from the stats only when it is not marked
 * dirty and
 *
 * - over (complete), for the counts that do not change with time: volumes, and callbacks ended
 *   or on time by due month;
 * - *settled* — over for {@link SETTLE_DAYS} days, so every ŞÖK registered in it is past its
 *   30-day legal limit — for the legal limit (counted = registered only then).
 *
 * Everything else is read live from `sok` (src/server/supervisor/figures/).
 */

const DAY_MS = 86_400_000;

/** Days after its end before a month's legal limit is read from the stats (Law 3071 art. 7). */
export const SETTLE_DAYS = 30;

/** The callback ended: the citizen was reached or found unreachable. */
export const ENDED = sql<SqlBool>`callback_state in ('done', 'unreachable')`;

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

export type StatsRow = Pick<
  SokStatsTable,
  'month' | 'dim' | 'key' | 'n' | 'ended' | 'legal_ok' | 'on_time'
>;

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
