import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { CountRow, MonthRow, PeriodQuery, VolumesResponse } from '../../../domain/supervisor';
import type { SokTable } from '../../db/schema';
import { visibilityFor } from '../../scope';
import { monthsOf, periodRange, previousPeriod, type UtcRange } from '../period';
import { mergeRanges, planRange, readStats, viewerOf } from '../stats';
import { n, usableOf, type FigureContext } from './context';

/**
 * The volumes: ŞÖKs registered in the period by month (with the press release's flows) and by
 * topic, district, receiving organisation and channel, each beside the period before.
 */

interface DimCount {
  key: string | null;
  count: number;
  previous: number;
}
type VolumeDim = 'topic' | 'district' | 'org' | 'channel';
const VOLUME_DIMS: readonly VolumeDim[] = ['topic', 'district', 'org', 'channel'];
const VOLUME_COLUMNS: Record<VolumeDim, keyof SokTable> = {
  topic: 'topic_code',
  district: 'district_code',
  org: 'target_org',
  channel: 'channel_code',
};
interface Flow {
  month: string;
  origin_org: string;
  target_org: string | null;
  count: number;
}
interface VolumeRows {
  monthly: Flow[];
  dims: Record<VolumeDim, Map<string, DimCount>>;
}

function addCount(
  rows: VolumeRows,
  dim: VolumeDim,
  key: string | null,
  count: number,
  previous: number,
): void {
  const map = rows.dims[dim];
  const k = key ?? '';
  let c = map.get(k);
  if (!c) map.set(k, (c = { key: k === '' ? null : k, count: 0, previous: 0 }));
  c.count += count;
  c.previous += previous;
}

/** ŞÖKs registered in `range` (inside the period) from `sok`, by Istanbul month and flow. */
async function liveMonthly(
  ctx: FigureContext,
  range: UtcRange,
  months: { month: string; start: string }[],
  out: VolumeRows,
): Promise<void> {
  const rows = await ctx.db
    .selectFrom('sok')
    .select([
      monthCase(months).as('month'),
      'origin_org',
      'target_org',
      (eb) => eb.fn.countAll<string>().as('count'),
    ])
    .where('created_at', '>=', range.start)
    .where('created_at', '<', range.end)
    .where('deleted', '=', 0)
    .where(visibilityFor(ctx.user))
    .groupBy([sql`1`, 'origin_org', 'target_org'])
    .execute();
  for (const r of rows) out.monthly.push({ ...r, count: n(r.count) });
}

/**
 * ŞÖKs registered in `range` from `sok`, by two dimensions in one pass (their product stays
 * small: 78 topics × 17 districts, 37 organisations × 6 channels), summed apart here; counted
 * for the period from `currentFrom` on, for the period before until then. (GROUPING SETS, tried
 * on PostgreSQL, sorted to disk and were slower than these hash aggregates over the covering
 * index.)
 */
async function liveByPair(
  ctx: FigureContext,
  range: UtcRange,
  currentFrom: string,
  [a, b]: [VolumeDim, VolumeDim],
  out: VolumeRows,
): Promise<void> {
  const isCurrent = sql<SqlBool>`created_at >= ${currentFrom}`;
  const rows = await ctx.db
    .selectFrom('sok')
    .select([
      sql<string | null>`${sql.ref(VOLUME_COLUMNS[a])}`.as('a'),
      sql<string | null>`${sql.ref(VOLUME_COLUMNS[b])}`.as('b'),
      sql<string>`sum(case when ${isCurrent} then 1 else 0 end)`.as('count'),
      sql<string>`sum(case when ${isCurrent} then 0 else 1 end)`.as('previous'),
    ])
    .where('created_at', '>=', range.start)
    .where('created_at', '<', range.end)
    .where('deleted', '=', 0)
    .where(visibilityFor(ctx.user))
    .groupBy([sql.ref(VOLUME_COLUMNS[a]), sql.ref(VOLUME_COLUMNS[b])])
    .execute();
  for (const r of rows) {
    addCount(out, a, r.a, n(r.count), n(r.previous));
    addCount(out, b, r.b, n(r.count), n(r.previous));
  }
}

/** Months from the stats: the period's flows by month, both periods by dimension. */
async function statsVolumes(
  ctx: FigureContext,
  months: { current: string[]; previous: string[] },
  out: VolumeRows,
): Promise<void> {
  const viewer = viewerOf(ctx.user);
  const dims = [...VOLUME_DIMS];
  const [current, previous, flows] = await Promise.all([
    readStats(ctx.db, { basis: 'created', viewer, months: months.current, dims }),
    readStats(ctx.db, { basis: 'created', viewer, months: months.previous, dims }),
    readStats(ctx.db, {
      basis: 'created',
      viewer,
      months: months.current,
      dims: ['flow'],
      byMonth: true,
    }),
  ]);
  for (const r of current) addCount(out, r.dim as VolumeDim, r.key, r.n, 0);
  for (const r of previous) addCount(out, r.dim as VolumeDim, r.key, 0, r.n);
  for (const r of flows) {
    // origin '>' receiver ('' when not routed); organisation codes hold no '>'.
    const at = r.key.indexOf('>');
    const target = r.key.slice(at + 1);
    out.monthly.push({
      month: r.month,
      origin_org: r.key.slice(0, at),
      target_org: target === '' ? null : target,
      count: r.n,
    });
  }
}

/**
 * The period and the one before: clean whole months that are over from `sok_stats`, the rest from
 * `sok`, one contiguous range at a time (the two periods' live edges joined where they meet).
 */
async function volumeRows(
  ctx: FigureContext,
  range: UtcRange,
  previousRange: UtcRange,
  months: { month: string; start: string }[],
): Promise<VolumeRows> {
  const usable = await usableOf(ctx);
  const current = planRange(range, usable.volumes);
  const previous = planRange(previousRange, usable.volumes);
  const out: VolumeRows = {
    monthly: [],
    dims: { topic: new Map(), district: new Map(), org: new Map(), channel: new Map() },
  };
  const live = mergeRanges([...previous.live, ...current.live]);
  await Promise.all([
    ...current.live.map((r) => liveMonthly(ctx, r, months, out)),
    ...live.map((r) => liveByPair(ctx, r, range.start, ['topic', 'district'], out)),
    ...live.map((r) => liveByPair(ctx, r, range.start, ['org', 'channel'], out)),
    statsVolumes(ctx, { current: current.months, previous: previous.months }, out),
  ]);
  return out;
}

/** A CASE expression that names the Istanbul month of `created_at` (months given by start). */
function monthCase(months: { month: string; start: string }[]): RawBuilder<string> {
  if (months.length === 0) return sql<string>`''`;
  if (months.length === 1) return sql<string>`${months[0]!.month}`;
  const branches = months
    .slice(1)
    .map((m, i) => sql`when created_at < ${m.start} then ${months[i]!.month}`);
  return sql<string>`case ${sql.join(branches, sql` `)} else ${months[months.length - 1]!.month} end`;
}

const METROPOLITAN = new Set(['metropolitan-unit', 'municipal-company']);
const DISTRICTS_AND_INSTITUTIONS = new Set(['district-municipality', 'institution']);

/**
 * ŞÖKs registered in the period: by Istanbul month (with the press release's flows between
 * BİKOM, the metropolitan units and the districts), and by topic, district, receiving
 * organisation and channel, each with the figure of the period just before (the trend).
 */
export async function volumeFigures(
  ctx: FigureContext,
  period: PeriodQuery,
): Promise<VolumesResponse> {
  const { names } = ctx;
  const prev = previousPeriod(period.from, period.to);
  const range = periodRange(period.from, period.to);
  const months = monthsOf(period.from, period.to);
  const { monthly, dims } = await volumeRows(ctx, range, periodRange(prev.from, prev.to), months);

  const monthRows = new Map<string, MonthRow>(
    months.map((m) => [
      m.month,
      {
        month: m.month,
        total: 0,
        toCallCentre: 0,
        toMetropolitan: 0,
        toDistrictsAndInstitutions: 0,
        districtsToMetropolitan: 0,
      },
    ]),
  );
  for (const r of monthly) {
    const m = monthRows.get(r.month);
    if (!m) continue;
    const count = r.count;
    const from = names.orgKind(r.origin_org);
    const to = r.target_org === null ? undefined : names.orgKind(r.target_org);
    m.total += count;
    if (from === 'call-centre') {
      m.toCallCentre += count;
      if (to !== undefined && METROPOLITAN.has(to)) m.toMetropolitan += count;
      if (to !== undefined && DISTRICTS_AND_INSTITUTIONS.has(to))
        m.toDistrictsAndInstitutions += count;
    }
    if (from === 'district-municipality' && to !== undefined && METROPOLITAN.has(to)) {
      m.districtsToMetropolitan += count;
    }
  }
  const counted = (rows: Map<string, DimCount>, name: (k: string) => string): CountRow[] =>
    [...rows.values()]
      .map((r) => ({
        key: r.key ?? '',
        name: r.key === null ? '—' : name(r.key),
        count: r.count,
        previous: r.previous,
      }))
      .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name, 'tr'));
  const byChannel = counted(dims.channel, names.channel);
  return {
    period,
    previousPeriod: prev,
    total: byChannel.reduce((s, r) => s + r.count, 0),
    previousTotal: byChannel.reduce((s, r) => s + r.previous, 0),
    months: [...monthRows.values()],
    byTopic: counted(dims.topic, names.topic),
    byDistrict: counted(dims.district, names.district),
    byOrg: counted(dims.org, names.org),
    byChannel,
  };
}
