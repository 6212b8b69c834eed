import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { ReferenceData } from '../../domain/reference';
import {
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
import { visibilityFor, visibilityRule, type ScopeUser } from '../scope';
import { sokToWire, type SokRow } from '../sync/sok-rows';
import {
  addDays,
  istanbulDay,
  istanbulDayStart,
  monthsOf,
  periodRange,
  previousPeriod,
} from './period';

/**
 * The supervisor's figures, each one or a few SQL aggregates over the ŞÖKs the supervisor may see
 * (src/server/scope.ts): nothing is pulled into memory row by row except a drill-down page.
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
}

const n = (v: unknown): number => Number(v ?? 0);

const emptyCounts = (org: string, orgName: string): QueueCounts => ({
  org,
  orgName,
  new: 0,
  accepted: 0,
  dueToday: 0,
  overdue: 0,
  unreachable: 0,
});

/** End of the Istanbul day `now` falls on. */
function endOfToday(now: Date): string {
  return istanbulDayStart(addDays(istanbulDay(now), 1));
}

function unreachableSince(now: Date): string {
  return new Date(now.getTime() - UNREACHABLE_QUEUE_DAYS * 86_400_000).toISOString();
}

/** Per organisation: new, in evaluation, callbacks due today, overdue, unreachable. */
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
        sql<string>`sum(case when callback_due_at >= ${nowIso} then 1 else 0 end)`.as('due_today'),
      ])
      .where('callback_state', '=', 'open')
      .where('callback_due_at', '<', endOfToday(now))
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
  }
  for (const c of unreachable) {
    if (c.org !== null) row(c.org).unreachable += n(c.count);
  }
  const sorted = [...rows.values()]
    .filter((r) => r.new + r.accepted + r.dueToday + r.overdue + r.unreachable > 0)
    .sort((a, b) => b.overdue - a.overdue || a.orgName.localeCompare(b.orgName, 'tr'));
  const totals = emptyCounts('', 'Toplam');
  for (const r of sorted) {
    totals.new += r.new;
    totals.accepted += r.accepted;
    totals.dueToday += r.dueToday;
    totals.overdue += r.overdue;
    totals.unreachable += r.unreachable;
  }
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

/** `created_at + 30 days` compared with when the callback ended, in each dialect. */
function informedWithinLegalLimit(db: ServerDb): RawBuilder<SqlBool> {
  return dialectOf(db) === 'postgres'
    ? sql<SqlBool>`(callback_closed_at::timestamptz <= created_at::timestamptz + interval '30 days')`
    : sql<SqlBool>`(callback_closed_at <= strftime('%Y-%m-%dT%H:%M:%fZ', created_at, '+30 days'))`;
}

type Dimension = 'callback_owner_org' | 'district_code' | 'topic_code';

interface SlaCounts {
  onTime: number;
  closed: number;
  openOverdue: number;
  legalDue: number;
  legalCompliant: number;
}

async function slaBy(
  ctx: FigureContext,
  period: PeriodQuery,
  callbackDim: Dimension,
  legalDim: 'target_org' | 'district_code' | 'topic_code',
): Promise<Map<string, SlaCounts>> {
  const { db, user, now } = ctx;
  const nowIso = now.toISOString();
  const range = periodRange(period.from, period.to);
  const legalPassed = new Date(now.getTime() - 30 * 86_400_000).toISOString();
  const ended = sql<SqlBool>`callback_state in ('done', 'unreachable')`;
  const [callbacks, legal] = await Promise.all([
    db
      .selectFrom('sok')
      .select([
        sql<string>`${sql.ref(callbackDim)}`.as('key'),
        sql<string>`sum(case when ${ended} and callback_closed_at <= callback_due_at then 1 else 0 end)`.as(
          'on_time',
        ),
        sql<string>`sum(case when ${ended} then 1 else 0 end)`.as('closed'),
        sql<string>`sum(case when callback_state = 'open' and callback_due_at < ${nowIso} then 1 else 0 end)`.as(
          'open_overdue',
        ),
      ])
      .where('callback_due_at', '>=', range.start)
      .where('callback_due_at', '<', range.end)
      .where('callback_state', 'in', ['open', 'done', 'unreachable'])
      .where('deleted', '=', 0)
      .where(visibilityFor(user))
      .groupBy(sql.ref(callbackDim))
      .execute(),
    db
      .selectFrom('sok')
      .select([
        sql<string>`${sql.ref(legalDim)}`.as('key'),
        sql<string>`sum(case when ${ended} or created_at <= ${legalPassed} then 1 else 0 end)`.as(
          'legal_due',
        ),
        sql<string>`sum(case when ${ended} and ${informedWithinLegalLimit(db)} then 1 else 0 end)`.as(
          'legal_compliant',
        ),
      ])
      .where('created_at', '>=', range.start)
      .where('created_at', '<', range.end)
      .where('deleted', '=', 0)
      .where(visibilityFor(user))
      .groupBy(sql.ref(legalDim))
      .execute(),
  ]);
  const out = new Map<string, SlaCounts>();
  const at = (key: string | null) => {
    const k = key ?? '';
    let c = out.get(k);
    if (!c) {
      c = { onTime: 0, closed: 0, openOverdue: 0, legalDue: 0, legalCompliant: 0 };
      out.set(k, c);
    }
    return c;
  };
  for (const r of callbacks) {
    const c = at(r.key);
    c.onTime += n(r.on_time);
    c.closed += n(r.closed);
    c.openOverdue += n(r.open_overdue);
  }
  for (const r of legal) {
    const c = at(r.key);
    c.legalDue += n(r.legal_due);
    c.legalCompliant += n(r.legal_compliant);
  }
  return out;
}

interface SlaMaps {
  org: Map<string, SlaCounts>;
  district: Map<string, SlaCounts>;
  topic: Map<string, SlaCounts>;
}

const emptySla = (): SlaCounts => ({
  onTime: 0,
  closed: 0,
  openOverdue: 0,
  legalDue: 0,
  legalCompliant: 0,
});

/**
 * PostgreSQL: each population read once, grouped three ways at a time (GROUPING SETS); SQLite,
 * which has no grouping sets, reads it once per dimension.
 */
async function slaMaps(ctx: FigureContext, period: PeriodQuery): Promise<SlaMaps> {
  const { db, user, now } = ctx;
  if (dialectOf(db) !== 'postgres') {
    return {
      org: await slaBy(ctx, period, 'callback_owner_org', 'target_org'),
      district: await slaBy(ctx, period, 'district_code', 'district_code'),
      topic: await slaBy(ctx, period, 'topic_code', 'topic_code'),
    };
  }
  const nowIso = now.toISOString();
  const range = periodRange(period.from, period.to);
  const legalPassed = new Date(now.getTime() - 30 * 86_400_000).toISOString();
  const ended = sql<SqlBool>`callback_state in ('done', 'unreachable')`;
  const [callbacks, legal] = await Promise.all([
    db
      .selectFrom('sok')
      .select([
        sql<number>`grouping(callback_owner_org)`.as('g_org'),
        sql<number>`grouping(district_code)`.as('g_district'),
        sql<string | null>`callback_owner_org`.as('org'),
        sql<string | null>`district_code`.as('district'),
        sql<string | null>`topic_code`.as('topic'),
        sql<string>`sum(case when ${ended} and callback_closed_at <= callback_due_at then 1 else 0 end)`.as(
          'on_time',
        ),
        sql<string>`sum(case when ${ended} then 1 else 0 end)`.as('closed'),
        sql<string>`sum(case when callback_state = 'open' and callback_due_at < ${nowIso} then 1 else 0 end)`.as(
          'open_overdue',
        ),
      ])
      .where('callback_due_at', '>=', range.start)
      .where('callback_due_at', '<', range.end)
      .where('callback_state', 'in', ['open', 'done', 'unreachable'])
      .where('deleted', '=', 0)
      .where(visibilityFor(user))
      .groupBy(sql`grouping sets ((callback_owner_org), (district_code), (topic_code))`)
      .execute(),
    db
      .selectFrom('sok')
      .select([
        sql<number>`grouping(target_org)`.as('g_org'),
        sql<number>`grouping(district_code)`.as('g_district'),
        sql<string | null>`target_org`.as('org'),
        sql<string | null>`district_code`.as('district'),
        sql<string | null>`topic_code`.as('topic'),
        sql<string>`sum(case when ${ended} or created_at <= ${legalPassed} then 1 else 0 end)`.as(
          'legal_due',
        ),
        sql<string>`sum(case when ${ended} and ${informedWithinLegalLimit(db)} then 1 else 0 end)`.as(
          'legal_compliant',
        ),
      ])
      .where('created_at', '>=', range.start)
      .where('created_at', '<', range.end)
      .where('deleted', '=', 0)
      .where(visibilityFor(user))
      .groupBy(sql`grouping sets ((target_org), (district_code), (topic_code))`)
      .execute(),
  ]);
  const maps: SlaMaps = { org: new Map(), district: new Map(), topic: new Map() };
  const at = (r: {
    g_org: number;
    g_district: number;
    org: string | null;
    district: string | null;
    topic: string | null;
  }) => {
    const [map, key] =
      Number(r.g_org) === 0
        ? [maps.org, r.org]
        : Number(r.g_district) === 0
          ? [maps.district, r.district]
          : [maps.topic, r.topic];
    const k = key ?? '';
    let c = map.get(k);
    if (!c) map.set(k, (c = emptySla()));
    return c;
  };
  for (const r of callbacks) {
    const c = at(r);
    c.onTime += n(r.on_time);
    c.closed += n(r.closed);
    c.openOverdue += n(r.open_overdue);
  }
  for (const r of legal) {
    const c = at(r);
    c.legalDue += n(r.legal_due);
    c.legalCompliant += n(r.legal_compliant);
  }
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
 * Callback on-time rate = on time ÷ (ended + open past due) for callbacks due in the period; and
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

type Dim = 'topic_code' | 'district_code' | 'target_org' | 'channel_code';
interface DimCount {
  key: string | null;
  count: number;
  previous: number;
}
interface VolumeRows {
  monthly: { month: string; origin_org: string; target_org: string | null; count: number }[];
  topic: DimCount[];
  district: DimCount[];
  org: DimCount[];
  channel: DimCount[];
}

/**
 * The period once by month and flow, the wider range (with the period before) twice, two
 * dimensions at a time. (GROUPING SETS, tried on PostgreSQL, sorted to disk and was slower than
 * these hash aggregates over the covering index.)
 */
async function volumeRows(
  ctx: FigureContext,
  range: { start: string; end: string },
  wide: { start: string; end: string },
  months: { month: string; start: string }[],
): Promise<VolumeRows> {
  const { db, user } = ctx;
  const scope = visibilityFor(user);
  const isCurrent = sql<SqlBool>`created_at >= ${range.start}`;
  const monthly = await db
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
    .where(scope)
    .groupBy([sql`1`, 'origin_org', 'target_org'])
    .execute();
  // Two dimensions per pass (their product stays small: 78 topics × 17 districts, 37
  // organisations × 6 channels), then summed apart here: fewer passes over the period.
  const byPair = async (a: Dim, b: Dim): Promise<[DimCount[], DimCount[]]> => {
    const rows = await db
      .selectFrom('sok')
      .select([
        sql<string | null>`${sql.ref(a)}`.as('a'),
        sql<string | null>`${sql.ref(b)}`.as('b'),
        sql<string>`sum(case when ${isCurrent} then 1 else 0 end)`.as('count'),
        sql<string>`sum(case when ${isCurrent} then 0 else 1 end)`.as('previous'),
      ])
      .where('created_at', '>=', wide.start)
      .where('created_at', '<', wide.end)
      .where('deleted', '=', 0)
      .where(scope)
      .groupBy([sql.ref(a), sql.ref(b)])
      .execute();
    const sum = (pick: (r: (typeof rows)[number]) => string | null): DimCount[] => {
      const byKey = new Map<string | null, DimCount>();
      for (const r of rows) {
        const key = pick(r);
        let c = byKey.get(key);
        if (!c) byKey.set(key, (c = { key, count: 0, previous: 0 }));
        c.count += n(r.count);
        c.previous += n(r.previous);
      }
      return [...byKey.values()];
    };
    return [sum((r) => r.a), sum((r) => r.b)];
  };
  const [topic, district] = await byPair('topic_code', 'district_code');
  const [org, channel] = await byPair('target_org', 'channel_code');
  return {
    monthly: monthly.map((m) => ({ ...m, count: n(m.count) })),
    topic,
    district,
    org,
    channel,
  };
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
  const wide = periodRange(prev.from, period.to);
  const months = monthsOf(period.from, period.to);
  const { monthly, topic, district, org, channel } = await volumeRows(ctx, range, wide, months);

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
  const counted = (rows: DimCount[], name: (k: string) => string): CountRow[] =>
    rows
      .map((r) => ({
        key: r.key ?? '',
        name: r.key === null ? '—' : name(r.key),
        count: r.count,
        previous: r.previous,
      }))
      .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name, 'tr'));
  const byChannel = counted(channel, names.channel);
  return {
    period,
    previousPeriod: prev,
    total: byChannel.reduce((s, r) => s + r.count, 0),
    previousTotal: byChannel.reduce((s, r) => s + r.previous, 0),
    months: [...monthRows.values()],
    byTopic: counted(topic, names.topic),
    byDistrict: counted(district, names.district),
    byOrg: counted(org, names.org),
    byChannel,
  };
}
