import type { Kysely } from 'kysely';
import { lineConfig, lineFigures, type LineConfig } from '../../../domain/call-queue';
import {
  lineLiveRow,
  sumLineFigures,
  toLineCall,
  type LineCallerRow,
  type LineLiveResponse,
  type LinePeriodResponse,
  type LineWaitingResponse,
} from '../../../domain/line-console';
import type { PeriodQuery } from '../../../domain/supervisor';
import type { Database } from '../../db/schema';
import { visibilityRule } from '../../scope';
import { istanbulDay, istanbulDayStart, periodRange } from '../period';
import type { FigureContext } from './context';

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

/**
 * Each line's figures over the period's calls (by arrival), lines no longer configured
 * included (with the default threshold), and all lines together.
 */
export async function linePeriodFigures(
  ctx: FigureContext,
  lines: readonly LineConfig[],
  period: PeriodQuery,
  defaultServiceLevelSeconds: number,
): Promise<LinePeriodResponse> {
  const rule = visibilityRule(ctx.user);
  const range = periodRange(period.from, period.to);
  const rows = await ctx.db
    .selectFrom('line_caller')
    .select([...callerColumns, 'org_code'])
    .where('arrived_at', '>=', range.start)
    .where('arrived_at', '<', range.end)
    .$if(rule.kind === 'organisation', (q) =>
      q.where('org_code', '=', rule.kind === 'organisation' ? rule.orgCode : ''),
    )
    .execute();
  const configured = new Map(lines.map((l) => [l.number, l]));
  const orgOf = new Map(rows.map((r) => [r.line, r.org_code]));
  const numbers = new Set([...visibleLines(ctx, lines).map((l) => l.number), ...orgOf.keys()]);
  const now = ctx.now.toISOString();
  const grouped = byLine(rows);
  const result = [...numbers].sort().map((number) => {
    const line =
      configured.get(number) ??
      lineConfig({
        number,
        orgCode: orgOf.get(number)!,
        serviceLevelSeconds: defaultServiceLevelSeconds,
      });
    return {
      line: number,
      orgCode: line.orgCode,
      orgName: ctx.names.org(line.orgCode),
      serviceLevelSeconds: line.serviceLevelSeconds,
      figures: lineFigures((grouped.get(number) ?? []).map(toLineCall), line, now),
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
): Promise<LineWaitingResponse> {
  const mine = lines.filter((l) => l.orgCode === orgCode).map((l) => l.number);
  if (mine.length === 0) return { waiting: 0, lines: [] };
  const counts = await db
    .selectFrom('line_caller')
    .select(['line', (eb) => eb.fn.countAll<string>().as('n')])
    .where('line', 'in', mine)
    .where('state', '=', 'waiting')
    .groupBy('line')
    .execute();
  const by = new Map(counts.map((c) => [c.line, Number(c.n)]));
  const result = mine.map((line) => ({ line, waiting: by.get(line) ?? 0 }));
  return { waiting: result.reduce((s, l) => s + l.waiting, 0), lines: result };
}
