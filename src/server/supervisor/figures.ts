import { sql, type RawBuilder, type SelectQueryBuilder, type SqlBool } from 'kysely';
import type { ReferenceData } from '../../domain/reference';
import {
  QUEUE_COLUMNS,
  queueTotal,
  ratio,
  UNREACHABLE_QUEUE_DAYS,
  type CountRow,
  type MonthRow,
  type PeriodQuery,
  type QueueCounts,
  type QueueItem,
  type QueueItemsResponse,
  type QueueKind,
  type QueuesResponse,
  type SlaResponse,
  type SlaRow,
  type SlaThresholds,
  type VolumesResponse,
} from '../../domain/supervisor';
import { dialectOf } from '../db/columns';
import type { ServerDb } from '../db/open';
import type { Database, SokTable } from '../db/schema';
import { visibilityFor, visibilityRule, type ScopeUser } from '../scope';
import { sokToWire, type SokRow } from '../sync/sok-rows';
import {
  addDays,
  istanbulDay,
  istanbulDayStart,
  monthsOf,
  periodRange,
  previousPeriod,
  type UtcRange,
} from './period';
import {
  ENDED,
  informedWithinLegalLimit,
  mergeRanges,
  NO_STATS,
  planRange,
  readStats,
  usableMonths,
  viewerOf,
  type Usable,
} from './stats';

/**
 * The supervisor's figures, each one or a few SQL aggregates over the ŞÖKs the supervisor may see
 * (src/server/scope.ts): nothing is pulled into memory row by row except a drill-down page. The
 * SLA and volumes read months that are over from the monthly stats (./stats.ts), the rest from `sok`.
 */

export interface Names {
  org(code: string): string;
  orgKind(code: string): string | undefined;
  topic(code: string): string;
  district(code: string): string;
  channel(code: string): string;
}

export function namesOf(data: ReferenceData): Names {
  const orgs = new Map(data.organisations.map((o) => [o.code, o]));
  const topics = new Map(data.topics.map((t) => [t.code, t.name]));
  const districts = new Map(data.districts.map((d) => [d.code, d.name]));
  const channels = new Map(data.channels.map((c) => [c.code, c.name]));
  return {
    org: (code) => orgs.get(code)?.name ?? code,
    orgKind: (code) => orgs.get(code)?.kind,
    topic: (code) => topics.get(code) ?? code,
    district: (code) => districts.get(code) ?? code,
    channel: (code) => channels.get(code) ?? code,
  };
}

export interface FigureContext {
  db: ServerDb;
  user: ScopeUser;
  now: Date;
  names: Names;
  /** Read months that are over from `sok_stats` (default); false: compute all from `sok`. */
  useStats?: boolean;
}

const n = (v: unknown): number => Number(v ?? 0);

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
  const { db, user, now } = ctx;
  const nowIso = now.toISOString();
  let q = db.selectFrom('sok').where('deleted', '=', 0).where(visibilityFor(user));
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

/** Which months the figures may read from `sok_stats` (none when the context says so). */
async function usableOf(ctx: FigureContext): Promise<Usable> {
  return ctx.useStats === false ? NO_STATS : usableMonths(ctx.db, ctx.now);
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
  const base = where(db.selectFrom('sok').where('deleted', '=', 0).where(visibilityFor(ctx.user)));
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

/** Inbound calls of the period from the call log, scoped as the ŞÖKs are (one aggregate). */
async function callFigures(ctx: FigureContext, period: PeriodQuery): Promise<SlaResponse['calls']> {
  const range = periodRange(period.from, period.to);
  const rule = visibilityRule(ctx.user);
  const answerSeconds =
    ctx.db.dialect === 'postgres'
      ? sql<number>`avg(extract(epoch from (answered_at::timestamptz - started_at::timestamptz)))`
      : sql<number>`avg((julianday(answered_at) - julianday(started_at)) * 86400.0)`;
  const row = await ctx.db
    .selectFrom('call_log')
    .select([
      sql<number>`count(*)`.as('inbound'),
      sql<number>`sum(case when outcome = 'answered' then 1 else 0 end)`.as('answered'),
      sql<number>`sum(case when outcome in ('missed', 'rejected') then 1 else 0 end)`.as('missed'),
      answerSeconds.as('avg_answer'),
    ])
    .where('direction', '=', 'inbound')
    .where('started_at', '>=', range.start)
    .where('started_at', '<', range.end)
    .$if(rule.kind === 'organisation', (q) =>
      q.where('org_code', '=', rule.kind === 'organisation' ? rule.orgCode : ''),
    )
    .executeTakeFirstOrThrow();
  const inbound = n(row.inbound);
  const answered = n(row.answered);
  return {
    inbound,
    answered,
    missed: n(row.missed),
    answerRate: inbound > 0 ? answered / inbound : null,
    avgAnswerSeconds:
      row.avg_answer === null || row.avg_answer === undefined
        ? null
        : Math.round(Number(row.avg_answer) * 10) / 10,
  };
}

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
