import { sql, type RawBuilder, type SelectQueryBuilder, type SqlBool } from 'kysely';
import {
  ratio,
  type PeriodQuery,
  type SlaResponse,
  type SlaRow,
  type SlaThresholds,
} from '../../../domain/supervisor';
import { dialectOf } from '../../db/columns';
import type { Database, SokTable } from '../../db/schema';
import { periodRange, type UtcRange } from '../period';
import { ENDED, informedWithinLegalLimit, planRange, readStats, viewerOf } from '../stats';
import { callFigures } from './calls';
import { n, usableOf, visibleSoks, type FigureContext } from './context';

/**
 * The SLA: the callback on-time rate and the 30-day legal limit, overall and by organisation,
 * district and topic (docs/supervisor.md), with the period's inbound calls (./calls.ts).
 */

type SlaDim = 'org' | 'district' | 'topic';
const SLA_DIMS: readonly SlaDim[] = ['org', 'district', 'topic'];

interface SlaCounts {
  onTime: number;
  closed: number;
  openOverdue: number;
  legalDue: number;
  legalCompliant: number;
}

type SlaMaps = Record<SlaDim, Map<string, SlaCounts>>;

const emptySla = (): SlaCounts => ({
  onTime: 0,
  closed: 0,
  openOverdue: 0,
  legalDue: 0,
  legalCompliant: 0,
});

function countsAt(maps: SlaMaps, dim: SlaDim, key: string | null): SlaCounts {
  const map = maps[dim];
  const k = key ?? '';
  let c = map.get(k);
  if (!c) map.set(k, (c = emptySla()));
  return c;
}

type SokQuery = SelectQueryBuilder<Database, 'sok', object>;

/**
 * Sums over the visible ŞÖKs `where` selects, grouped by each of three columns: one pass with
 * GROUPING SETS on PostgreSQL; on SQLite, which has none, one pass per column.
 */
async function groupedThreeWays(
  ctx: FigureContext,
  columns: Record<SlaDim, keyof SokTable>,
  where: (q: SokQuery) => SokQuery,
  sums: Record<string, RawBuilder<string>>,
): Promise<{ dim: SlaDim; key: string | null; sums: Record<string, number> }[]> {
  const { db } = ctx;
  const base = where(visibleSoks(ctx));
  const sumSelections = Object.entries(sums).map(([name, expr]) => expr.as(name));
  const sumsOf = (row: Record<string, unknown>) =>
    Object.fromEntries(Object.keys(sums).map((name) => [name, n(row[name])]));
  if (dialectOf(db) === 'postgres') {
    const ref = (dim: SlaDim) => sql.ref(columns[dim]);
    const rows = (await base
      .select([
        sql<number>`grouping(${ref('org')})`.as('g_org'),
        sql<number>`grouping(${ref('district')})`.as('g_district'),
        sql<string | null>`${ref('org')}`.as('k_org'),
        sql<string | null>`${ref('district')}`.as('k_district'),
        sql<string | null>`${ref('topic')}`.as('k_topic'),
        ...sumSelections,
      ])
      .groupBy(sql`grouping sets ((${ref('org')}), (${ref('district')}), (${ref('topic')}))`)
      .execute()) as Record<string, unknown>[];
    return rows.map((row) => {
      const dim: SlaDim =
        Number(row.g_org) === 0 ? 'org' : Number(row.g_district) === 0 ? 'district' : 'topic';
      return { dim, key: row[`k_${dim}`] as string | null, sums: sumsOf(row) };
    });
  }
  const out: { dim: SlaDim; key: string | null; sums: Record<string, number> }[] = [];
  for (const dim of SLA_DIMS) {
    const rows = (await base
      .select([sql<string | null>`${sql.ref(columns[dim])}`.as('key'), ...sumSelections])
      .groupBy(sql.ref(columns[dim]))
      .execute()) as Record<string, unknown>[];
    for (const row of rows) out.push({ dim, key: row.key as string | null, sums: sumsOf(row) });
  }
  return out;
}

/**
 * The callbacks settled in `range`, from `sok`, by owner, district and topic: see
 * `callbackSettledIn` — the one definition of the on-time rate (docs/supervisor.md).
 */
async function liveCallbacks(ctx: FigureContext, range: UtcRange, maps: SlaMaps): Promise<void> {
  const nowIso = ctx.now.toISOString();
  const rows = await groupedThreeWays(
    ctx,
    { org: 'callback_owner_org', district: 'district_code', topic: 'topic_code' },
    (q) => q.where(callbackSettledIn(range, nowIso)),
    {
      on_time: sql<string>`sum(case when ${ENDED} and callback_closed_at <= callback_due_at then 1 else 0 end)`,
      closed: sql<string>`sum(case when ${ENDED} then 1 else 0 end)`,
      open_overdue: sql<string>`sum(case when callback_state = 'open' then 1 else 0 end)`,
    },
  );
  for (const r of rows) {
    const c = countsAt(maps, r.dim, r.key);
    c.onTime += r.sums.on_time ?? 0;
    c.closed += r.sums.closed ?? 0;
    c.openOverdue += r.sums.open_overdue ?? 0;
  }
}

/**
 * THE definition of which callbacks a period's on-time rate counts (issue #17 item 9): a callback
 * counts in the period it was settled — an ended one (reached or unreachable) when it ended, on
 * time if it ended by its due time; an open one once its due time has passed, as late, in the
 * period its due time fell in. So a callback finished early counts at once (not when it would
 * have been due), and each callback counts in exactly one period at a time. The console, the
 * CSV/XLSX exports and the monthly PDF all read it through `slaFigures`.
 */
export function callbackSettledIn(range: UtcRange, nowIso: string) {
  return sql<SqlBool>`((${ENDED} and callback_closed_at >= ${range.start} and callback_closed_at < ${range.end})
    or (callback_state = 'open' and callback_due_at < ${nowIso}
      and callback_due_at >= ${range.start} and callback_due_at < ${range.end}))`;
}

/** The legal limit for ŞÖKs registered in `range`, from `sok`, by receiver, district, topic. */
async function liveLegal(ctx: FigureContext, range: UtcRange, maps: SlaMaps): Promise<void> {
  const legalPassed = new Date(ctx.now.getTime() - 30 * 86_400_000).toISOString();
  const rows = await groupedThreeWays(
    ctx,
    { org: 'target_org', district: 'district_code', topic: 'topic_code' },
    (q) => q.where('created_at', '>=', range.start).where('created_at', '<', range.end),
    {
      legal_due: sql<string>`sum(case when ${ENDED} or created_at <= ${legalPassed} then 1 else 0 end)`,
      legal_compliant: sql<string>`sum(case when ${ENDED} and ${informedWithinLegalLimit(ctx.db)} then 1 else 0 end)`,
    },
  );
  for (const r of rows) {
    const c = countsAt(maps, r.dim, r.key);
    c.legalDue += r.sums.legal_due ?? 0;
    c.legalCompliant += r.sums.legal_compliant ?? 0;
  }
}

/**
 * Months from the stats: ended and on-time callbacks by due month (months that are over), and
 * the legal limit by registration month (settled months only: every ŞÖK registered in one is
 * past its limit, so counted = registered).
 */
async function statsSla(
  ctx: FigureContext,
  months: { due: string[]; created: string[] },
  maps: SlaMaps,
): Promise<void> {
  const viewer = viewerOf(ctx.user);
  const dims = [...SLA_DIMS];
  const [due, created] = await Promise.all([
    readStats(ctx.db, { basis: 'due', viewer, months: months.due, dims }),
    readStats(ctx.db, { basis: 'created', viewer, months: months.created, dims }),
  ]);
  for (const r of due) {
    const c = countsAt(maps, r.dim as SlaDim, r.key);
    c.onTime += r.on_time;
    c.closed += r.ended;
  }
  for (const r of created) {
    const c = countsAt(maps, r.dim as SlaDim, r.key);
    c.legalDue += r.n;
    c.legalCompliant += r.legal_ok;
  }
}

/**
 * Clean whole months of the period from `sok_stats` (./stats.ts says which); the rest (partial
 * months at the ends, the current month — for the legal limit the last 30 days' months too —
 * and months changed since their last refresh) from `sok`, one range at a time; open overdue
 * callbacks always from `sok` (they change with the clock, and are few).
 */
async function slaMaps(ctx: FigureContext, period: PeriodQuery): Promise<SlaMaps> {
  const range = periodRange(period.from, period.to);
  const usable = await usableOf(ctx);
  const createdPlan = planRange(range, usable.legal);
  const maps: SlaMaps = { org: new Map(), district: new Map(), topic: new Map() };
  // Callbacks always from `sok`: the monthly stats keep them by due month, which is not how the
  // on-time rate counts them (`callbackSettledIn`).
  await Promise.all([
    liveCallbacks(ctx, range, maps),
    ...createdPlan.live.map((r) => liveLegal(ctx, r, maps)),
    statsSla(ctx, { due: [], created: createdPlan.months }, maps),
  ]);
  return maps;
}

function slaRow(key: string, name: string, c: SlaCounts): SlaRow {
  return {
    key,
    name,
    ...c,
    rate: ratio(c.onTime, c.closed + c.openOverdue),
    legalRate: ratio(c.legalCompliant, c.legalDue),
  };
}

function rowsOf(map: Map<string, SlaCounts>, name: (key: string) => string): SlaRow[] {
  return [...map.entries()]
    .filter(([, c]) => c.closed + c.openOverdue + c.legalDue > 0)
    .map(([key, c]) => slaRow(key, key === '' ? '—' : name(key), c))
    .sort((a, b) => (a.rate ?? 2) - (b.rate ?? 2) || a.name.localeCompare(b.name, 'tr'));
}

/**
 * Callback on-time rate = on time ÷ (ended + open past due) for callbacks settled in the period
 * (`callbackSettledIn`); and
 * the 30-day legal limit for ŞÖKs registered in it (the citizen informed — the callback ended,
 * reached or unreachable — within 30 calendar days; counted once the limit has passed or the
 * citizen was informed). Organisation = the callback's owner (SLA) / the receiving organisation
 * (legal limit).
 */
export async function slaFigures(
  ctx: FigureContext,
  period: PeriodQuery,
  thresholds: SlaThresholds,
): Promise<SlaResponse> {
  const { names } = ctx;
  const maps = await slaMaps(ctx, period);
  const overall = emptySla();
  for (const c of maps.district.values()) {
    overall.onTime += c.onTime;
    overall.closed += c.closed;
    overall.openOverdue += c.openOverdue;
    overall.legalDue += c.legalDue;
    overall.legalCompliant += c.legalCompliant;
  }
  return {
    period,
    asOf: ctx.now.toISOString(),
    thresholds,
    overall: slaRow('', 'Genel', overall),
    byOrg: rowsOf(maps.org, names.org),
    byDistrict: rowsOf(maps.district, names.district),
    byTopic: rowsOf(maps.topic, names.topic),
    calls: await callFigures(ctx, period),
  };
}
