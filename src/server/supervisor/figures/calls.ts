import { sql } from 'kysely';
import type { PeriodQuery, SlaResponse } from '../../../domain/supervisor';
import { visibilityRule } from '../../scope';
import { periodRange } from '../period';
import { n, type FigureContext } from './context';

/** Inbound calls of the period from the call log, scoped as the ŞÖKs are (one aggregate). */
export async function callFigures(
  ctx: FigureContext,
  period: PeriodQuery,
): Promise<SlaResponse['calls']> {
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
