import { minutesOf, type Calendar } from '../../../domain/calendar/calendar';
import type {
  ExternalFiguresResponse,
  ExternalOrgRow,
  PeriodQuery,
} from '../../../domain/supervisor';
import { EXTERNAL_REQUEST } from '../../notifications/external';
import { periodRange } from '../period';
import { visibleSoks, type FigureContext } from './context';
import { workingMinutesBetween } from './mail';

/**
 * How long organisations outside the app take to answer (issue #18 item 3, docs/mailbox.md). A
 * request is the `external-request` e-mail sent when a ŞÖK is routed to such an organisation
 * (`notification.to_org`); its answer is the first `organisation-email` event from that
 * organisation on the ŞÖK after it. Per organisation: the ŞÖKs sent to it in the period (each
 * counted once, from its first request in the period), how many it answered, the median and
 * average answer time in working days (office minutes of the working calendar ÷ a full office
 * day), and how many are still unanswered past the reply time after which it is reminded. Scope:
 * the ŞÖKs the supervisor may see.
 */

export interface ExternalTarget {
  /** Working days after which an unanswered organisation is reminded. */
  replyWorkingDays: number;
  calendar: Calendar;
}

const emptyRow = (key: string, name: string): ExternalOrgRow => ({
  key,
  name,
  sent: 0,
  answered: 0,
  overdue: 0,
  medianWorkingDays: null,
  averageWorkingDays: null,
});

const oneDecimal = (v: number) => Math.round(v * 10) / 10;

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export async function externalFigures(
  ctx: FigureContext,
  period: PeriodQuery,
  target: ExternalTarget,
): Promise<ExternalFiguresResponse> {
  const { db, now, names } = ctx;
  const range = periodRange(period.from, period.to);
  const requests = await db
    .selectFrom('notification as n')
    .innerJoin('organisation as o', 'o.code', 'n.to_org')
    .select(['n.sok_id', 'n.to_org', 'n.created_at'])
    .where('n.purpose', '=', EXTERNAL_REQUEST)
    .where('o.external', '=', 1)
    .where('n.created_at', '>=', range.start)
    .where('n.created_at', '<', range.end)
    .where('n.sok_id', 'in', visibleSoks(ctx).select('id'))
    .orderBy('n.created_at')
    .execute();
  const sokIds = [...new Set(requests.map((r) => r.sok_id))];
  const answers =
    sokIds.length === 0
      ? []
      : await db
          .selectFrom('sok_event')
          .select(['sok_id', 'actor_org', 'at'])
          .where('kind', '=', 'organisation-email')
          .where('sok_id', 'in', sokIds)
          .orderBy('at')
          .execute();

  const { officeStart, officeEnd } = target.calendar.settings;
  const dayMinutes = Math.max(minutesOf(officeEnd) - minutesOf(officeStart), 1);
  const rows = new Map<string, { row: ExternalOrgRow; days: number[] }>();
  const all: number[] = [];
  const seen = new Set<string>();
  for (const r of requests) {
    const org = r.to_org!;
    const key = `${r.sok_id} ${org}`;
    if (seen.has(key)) continue; // the ŞÖK's first request in the period counts
    seen.add(key);
    let entry = rows.get(org);
    if (!entry) {
      entry = { row: emptyRow(org, names.org(org)), days: [] };
      rows.set(org, entry);
    }
    entry.row.sent += 1;
    const answer = answers.find(
      (a) => a.sok_id === r.sok_id && a.actor_org === org && a.at >= r.created_at,
    );
    const sentAt = new Date(r.created_at);
    if (answer !== undefined) {
      entry.row.answered += 1;
      const days = workingMinutesBetween(target.calendar, sentAt, new Date(answer.at)) / dayMinutes;
      entry.days.push(days);
      all.push(days);
    } else if (target.calendar.addWorkingDays(sentAt, target.replyWorkingDays) <= now) {
      entry.row.overdue += 1;
    }
  }

  const finish = (row: ExternalOrgRow, days: number[]) => {
    const mid = median(days);
    row.medianWorkingDays = mid === null ? null : oneDecimal(mid);
    row.averageWorkingDays =
      days.length === 0 ? null : oneDecimal(days.reduce((a, b) => a + b, 0) / days.length);
    return row;
  };
  const byOrg = [...rows.values()]
    .map(({ row, days }) => finish(row, days))
    .sort((a, b) => a.name.localeCompare(b.name, 'tr'));
  const overall = emptyRow('', 'Toplam');
  for (const r of byOrg) {
    overall.sent += r.sent;
    overall.answered += r.answered;
    overall.overdue += r.overdue;
  }
  return {
    period,
    asOf: now.toISOString(),
    replyWorkingDays: target.replyWorkingDays,
    overall: finish(overall, all),
    byOrg,
  };
}
