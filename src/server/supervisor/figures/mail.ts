import { istanbulDay, istanbulMinutes, type Calendar } from '../../../domain/calendar/calendar';
import type {
  MailFiguresResponse,
  MailRow,
  PeriodQuery,
  SlaThresholds,
} from '../../../domain/supervisor';
import { visibilityRule } from '../../scope';
import { addDays, periodRange } from '../period';
import type { FigureContext } from './context';

/**
 * The "E-posta" intake queue for the supervisor (issue #18): per organisation whose mailbox got
 * the mail, what is unhandled now, the oldest of it in working hours against the target, and how
 * much of the period's mail was handled within the target. Scope as on the desk's queue
 * (src/server/mailbox/routes.ts): BİKOM's supervisors see every organisation's mail, anyone
 * else their own organisation's. Unhandled is state `new`, as /mailbox/figures counts it.
 *
 * The target is a working-day calendar rule (holidays, half days, office hours), so it is applied
 * here rather than in SQL; only a few narrow columns of the backlog and of the period's mail are
 * read.
 */

export interface MailTarget {
  /** Handled by the close of business this many working days after the day it came in. */
  workingDays: number;
  calendar: Calendar;
}

/** When the target lapses for an e-mail received at `at`. */
export function mailDueAt(target: MailTarget, at: Date): Date {
  return target.calendar.addWorkingDays(at, target.workingDays);
}

/** Office minutes of working days between two instants (0 when `to` is not after `from`). */
export function workingMinutesBetween(calendar: Calendar, from: Date, to: Date): number {
  if (to.getTime() <= from.getTime()) return 0;
  const last = istanbulDay(to);
  let total = 0;
  for (let day = istanbulDay(from); day <= last; day = addDays(day, 1)) {
    const info = calendar.day(day);
    if (!info.working) continue;
    const start =
      day === istanbulDay(from) ? Math.max(info.opens, istanbulMinutes(from)) : info.opens;
    const end = day === last ? Math.min(info.closes, istanbulMinutes(to)) : info.closes;
    if (end > start) total += end - start;
  }
  return total;
}

const emptyRow = (key: string, name: string): MailRow => ({
  key,
  name,
  unhandled: 0,
  overdue: 0,
  oldestUnhandledAt: null,
  oldestWorkingHours: null,
  oldestOverdue: false,
  received: 0,
  handled: 0,
  handledOnTime: 0,
  rate: null,
});

export async function mailFigures(
  ctx: FigureContext,
  period: PeriodQuery,
  target: MailTarget,
  thresholds: SlaThresholds,
): Promise<MailFiguresResponse> {
  const { db, now, names } = ctx;
  const rule = visibilityRule(ctx.user);
  const org = rule.kind === 'all' ? null : rule.orgCode;
  const range = periodRange(period.from, period.to);
  const [waiting, received] = await Promise.all([
    db
      .selectFrom('mail_item')
      .select(['org_code', 'received_at'])
      .where('state', '=', 'new')
      .$if(org !== null, (q) => q.where('org_code', '=', org!))
      .execute(),
    db
      .selectFrom('mail_item')
      .select(['org_code', 'state', 'received_at', 'handled_at'])
      .where('received_at', '>=', range.start)
      .where('received_at', '<', range.end)
      .$if(org !== null, (q) => q.where('org_code', '=', org!))
      .execute(),
  ]);

  const rows = new Map<string, MailRow>();
  const row = (code: string) => {
    let r = rows.get(code);
    if (!r) {
      r = emptyRow(code, names.org(code));
      rows.set(code, r);
    }
    return r;
  };
  const overdueNow = (receivedAt: string) => mailDueAt(target, new Date(receivedAt)) < now;

  for (const w of waiting) {
    const r = row(w.org_code);
    r.unhandled += 1;
    if (overdueNow(w.received_at)) r.overdue += 1;
    if (r.oldestUnhandledAt === null || w.received_at < r.oldestUnhandledAt) {
      r.oldestUnhandledAt = w.received_at;
    }
  }
  /** handled + unhandled past the target, per row: the rate's denominator. */
  const counted = new Map<string, number>();
  for (const m of received) {
    const r = row(m.org_code);
    r.received += 1;
    if (m.state === 'new') {
      if (overdueNow(m.received_at)) counted.set(r.key, (counted.get(r.key) ?? 0) + 1);
      continue;
    }
    r.handled += 1;
    counted.set(r.key, (counted.get(r.key) ?? 0) + 1);
    const handledAt = m.handled_at === null ? null : new Date(m.handled_at);
    if (handledAt !== null && handledAt <= mailDueAt(target, new Date(m.received_at))) {
      r.handledOnTime += 1;
    }
  }

  const finish = (r: MailRow, denominator: number) => {
    if (r.oldestUnhandledAt !== null) {
      const oldest = new Date(r.oldestUnhandledAt);
      r.oldestWorkingHours =
        Math.round(workingMinutesBetween(target.calendar, oldest, now) / 6) / 10;
      r.oldestOverdue = overdueNow(r.oldestUnhandledAt);
    }
    r.rate = denominator > 0 ? r.handledOnTime / denominator : null;
  };
  const byOrg = [...rows.values()].sort(
    (a, b) =>
      (a.oldestUnhandledAt ?? '~').localeCompare(b.oldestUnhandledAt ?? '~') ||
      a.name.localeCompare(b.name, 'tr'),
  );
  const overall = emptyRow('', 'Toplam');
  let denominator = 0;
  for (const r of byOrg) {
    finish(r, counted.get(r.key) ?? 0);
    denominator += counted.get(r.key) ?? 0;
    overall.unhandled += r.unhandled;
    overall.overdue += r.overdue;
    overall.received += r.received;
    overall.handled += r.handled;
    overall.handledOnTime += r.handledOnTime;
    if (
      r.oldestUnhandledAt !== null &&
      (overall.oldestUnhandledAt === null || r.oldestUnhandledAt < overall.oldestUnhandledAt)
    ) {
      overall.oldestUnhandledAt = r.oldestUnhandledAt;
    }
  }
  finish(overall, denominator);
  return {
    period,
    asOf: now.toISOString(),
    targetWorkingDays: target.workingDays,
    thresholds,
    overall,
    byOrg,
  };
}
