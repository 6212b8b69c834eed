import { sql, type Kysely, type RawBuilder } from 'kysely';
import {
  lineConfig,
  NO_ANSWER_REASON,
  NO_ANSWER_REASON_NAME,
  type LineConfig,
} from '../../../domain/call-queue';
import {
  lineFiguresFromTotals,
  lineLiveRow,
  sumLineFigures,
  type LineCallerRow,
  type LineLiveResponse,
  type LinePeriodResponse,
  type LineWaitingResponse,
} from '../../../domain/line-console';
import type { PeriodQuery } from '../../../domain/supervisor';
import type { Database } from '../../db/schema';
import { visibilityRule } from '../../scope';
import { istanbulDay, istanbulDayStart, periodRange } from '../period';
import { n, type FigureContext } from './context';

/**
 * The call line for supervisors (issue #20 item 6): callers on each line now and the day's
 * figures (the console), the same figures over a period (exports, monthly report). Reads the
 * line's own tables (migration 0019) without writing them; the line's state machine is
 * src/server/line. Scope: BİKOM's supervisors see every line, anyone else the lines their
 * organisation answers.
 */

/** Lines, as configured, that the supervisor may see. */
function visibleLines(ctx: Pick<FigureContext, 'user'>, lines: readonly LineConfig[]) {
  const rule = visibilityRule(ctx.user);
  return lines.filter((l) => rule.kind === 'all' || l.orgCode === rule.orgCode);
}

const callerColumns = ['line', 'number', 'state', 'arrived_at', 'answered_at', 'ended_at'] as const;

type Row = {
  line: string;
  number: string;
  state: string;
  arrived_at: string;
  answered_at: string | null;
  ended_at: string | null;
};
const toRow = (r: Row): LineCallerRow => ({
  number: r.number,
  state: r.state,
  arrivedAt: r.arrived_at,
  answeredAt: r.answered_at,
  endedAt: r.ended_at,
});

function byLine(rows: readonly Row[]): Map<string, LineCallerRow[]> {
  const map = new Map<string, LineCallerRow[]>();
  for (const r of rows) {
    const list = map.get(r.line) ?? [];
    list.push(toRow(r));
    map.set(r.line, list);
  }
  return map;
}

/** Callers on the supervisor's lines now (oldest first) and today's figures per line. */
export async function lineLive(
  ctx: FigureContext,
  lines: readonly LineConfig[],
): Promise<LineLiveResponse> {
  const now = ctx.now.toISOString();
  const visible = visibleLines(ctx, lines);
  if (visible.length === 0) return { asOf: now, lines: [] };
  const numbers = visible.map((l) => l.number);
  const dayStart = istanbulDayStart(istanbulDay(ctx.now));
  const [onLine, today] = await Promise.all([
    ctx.db
      .selectFrom('line_caller')
      .select(callerColumns)
      .where('line', 'in', numbers)
      .where('state', 'in', ['waiting', 'offered'])
      .orderBy('seq')
      .execute(),
    ctx.db
      .selectFrom('line_caller')
      .select(callerColumns)
      .where('line', 'in', numbers)
      .where('arrived_at', '>=', dayStart)
      .execute(),
  ]);
  const onLineBy = byLine(onLine);
  const todayBy = byLine(today);
  return {
    asOf: now,
    lines: visible.map((l) =>
      lineLiveRow(
        l,
        ctx.names.org(l.orgCode),
        onLineBy.get(l.number) ?? [],
        todayBy.get(l.number) ?? [],
        now,
      ),
    ),
  };
}

/** Seconds from `from` to `to` (ISO text columns or values), to the millisecond, in SQL. */
function secondsBetween(
  ctx: Pick<FigureContext, 'db'>,
  from: RawBuilder<unknown>,
  to: RawBuilder<unknown>,
) {
  return ctx.db.dialect === 'postgres'
    ? sql<number>`extract(epoch from (${to}::timestamptz - ${from}::timestamptz))`
    : // julianday is a day count in a double: rounded to the millisecond, as the text holds it.
      sql<number>`round((julianday(${to}) - julianday(${from})) * 86400.0, 3)`;
}

/** `case line when '153' then 10 … else <fallback> end`: a per-line setting inside the query. */
function perLine(lines: readonly LineConfig[], pick: (l: LineConfig) => number, fallback: number) {
  if (lines.length === 0) return sql<number>`${sql.lit(fallback)}`;
  const whens = lines.map((l) => sql`when ${l.number} then ${sql.lit(pick(l))}`);
  return sql<number>`case line ${sql.join(whens, sql` `)} else ${sql.lit(fallback)} end`;
}

/**
 * Each line's figures over the period's calls (by arrival), lines no longer configured included
 * (with the default thresholds), and all lines together. One aggregate per line in SQL, counting
 * exactly as `lineFigures` does (src/server/supervisor/line-figures.test.ts holds the two equal).
 */
export async function linePeriodFigures(
  ctx: FigureContext,
  lines: readonly LineConfig[],
  period: PeriodQuery,
  defaultServiceLevelSeconds: number,
): Promise<LinePeriodResponse> {
  const rule = visibilityRule(ctx.user);
  const range = periodRange(period.from, period.to);
  const now = ctx.now.toISOString();
  const fallback = lineConfig({
    number: '000',
    orgCode: '-',
    serviceLevelSeconds: defaultServiceLevelSeconds,
  });
  const threshold = perLine(lines, (l) => l.serviceLevelSeconds, fallback.serviceLevelSeconds);
  const shortLimit = perLine(lines, (l) => l.shortAbandonSeconds, fallback.shortAbandonSeconds);
  const arrived = sql`arrived_at`;
  const toAnswer = secondsBetween(ctx, arrived, sql`answered_at`);
  const toEnd = secondsBetween(ctx, arrived, sql`coalesce(ended_at, ${now})`);
  const toNow = secondsBetween(ctx, arrived, sql`${now}`);
  const isAnswered = sql`answered_at is not null`;
  const gaveUp = sql`answered_at is null and state in ('abandoned', 'timed-out')`;
  const rows = await ctx.db
    .selectFrom('line_caller')
    .select([
      'line',
      sql<string>`min(org_code)`.as('org_code'),
      sql<number>`count(*)`.as('offered'),
      sql<number>`sum(case when ${isAnswered} then 1 else 0 end)`.as('answered'),
      sql<number>`sum(case when ${isAnswered} and ${toAnswer} <= ${threshold} then 1 else 0 end)`.as(
        'within',
      ),
      sql<number>`sum(case when ${gaveUp} then 1 else 0 end)`.as('abandoned'),
      sql<number>`sum(case when answered_at is null and state = 'timed-out' then 1 else 0 end)`.as(
        'timed_out',
      ),
      sql<number>`sum(case when answered_at is null and state = 'abandoned' and ${toEnd} < ${shortLimit} then 1 else 0 end)`.as(
        'short',
      ),
      sql<number>`sum(case when ${isAnswered} then ${toAnswer} else 0 end)`.as('answer_total'),
      sql<number>`max(case when ${isAnswered} then ${toAnswer} when ${gaveUp} then ${toEnd} else ${toNow} end)`.as(
        'longest',
      ),
    ])
    .where('arrived_at', '>=', range.start)
    .where('arrived_at', '<', range.end)
    .$if(rule.kind === 'organisation', (q) =>
      q.where('org_code', '=', rule.kind === 'organisation' ? rule.orgCode : ''),
    )
    .groupBy('line')
    .execute();
  const configured = new Map(lines.map((l) => [l.number, l]));
  const found = new Map(rows.map((r) => [r.line, r]));
  const numbers = new Set([...visibleLines(ctx, lines).map((l) => l.number), ...found.keys()]);
  const result = [...numbers].sort().map((number) => {
    const r = found.get(number);
    const line = configured.get(number);
    const orgCode = line?.orgCode ?? r!.org_code;
    return {
      line: number,
      orgCode,
      orgName: ctx.names.org(orgCode),
      serviceLevelSeconds: line?.serviceLevelSeconds ?? fallback.serviceLevelSeconds,
      figures: lineFiguresFromTotals({
        offered: n(r?.offered),
        answered: n(r?.answered),
        answeredWithinThreshold: n(r?.within),
        abandoned: n(r?.abandoned),
        shortAbandoned: n(r?.short),
        timedOut: n(r?.timed_out),
        answerSecondsTotal: n(r?.answer_total),
        longestWaitSeconds: n(r?.longest),
      }),
    };
  });
  return {
    period,
    asOf: now,
    lines: result,
    total: sumLineFigures(result.map((r) => r.figures)),
  };
}

/** How many callers wait (not yet ringing at an agent) on the lines `orgCode` answers. */
export async function lineWaiting(
  db: Kysely<Database>,
  lines: readonly LineConfig[],
  orgCode: string,
  userId: string,
): Promise<LineWaitingResponse> {
  const mine = lines.filter((l) => l.orgCode === orgCode).map((l) => l.number);
  if (mine.length === 0) return { waiting: 0, lines: [], setByLine: null };
  const state = await db
    .selectFrom('agent_state')
    .select(['state', 'reason', 'since'])
    .where('user_id', '=', userId)
    .executeTakeFirst();
  const setByLine =
    state?.state === 'break' && state.reason === NO_ANSWER_REASON
      ? {
          state: 'break' as const,
          reason: NO_ANSWER_REASON,
          reasonText: NO_ANSWER_REASON_NAME,
          since: state.since,
        }
      : null;
  const counts = await db
    .selectFrom('line_caller')
    .select(['line', (eb) => eb.fn.countAll<string>().as('n')])
    .where('line', 'in', mine)
    .where('state', '=', 'waiting')
    .groupBy('line')
    .execute();
  const by = new Map(counts.map((c) => [c.line, Number(c.n)]));
  const result = mine.map((line) => ({ line, waiting: by.get(line) ?? 0 }));
  return { waiting: result.reduce((s, l) => s + l.waiting, 0), lines: result, setByLine };
}
