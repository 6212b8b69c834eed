import {
  calendarDaysLeft,
  legalDeadline,
  type Calendar,
} from '../../../src/domain/calendar/calendar';
import { formatShort, formatTime, ui } from '../i18n';

/** "3 iş günü kaldı · Son: 04.03.2026 17:30", or "Süresi geçti …" — for the callback due time. */
export function dueText(calendar: Calendar | null, dueAt: string, now = new Date()): string {
  const due = new Date(dueAt);
  const when = ui('wf.due', { date: formatShort(dueAt) });
  if (due.getTime() <= now.getTime()) return `${ui('wf.overdue')} · ${when}`;
  if (!calendar) return when;
  const days = calendar.workingDaysLeft(now, due);
  return `${days === 0 ? ui('wf.dueToday') : ui('wf.dueLeft', { days })} · ${when}`;
}

export function isOverdue(dueAt: string, now = new Date()): boolean {
  return Date.parse(dueAt) <= now.getTime();
}

/** The 30-day legal limit from registration (Law 3071 art. 7), in calendar days. */
export function legalText(createdAt: string, now = new Date()): { text: string; late: boolean } {
  const deadline = legalDeadline(new Date(createdAt));
  const days = calendarDaysLeft(now, deadline);
  const date = formatTime(deadline.toISOString());
  if (days > 0) return { text: ui('wf.legalLeft', { days, date }), late: false };
  if (days === 0) return { text: ui('wf.legalToday', { date }), late: deadline <= now };
  return { text: ui('wf.legalPassed', { days: -days, date }), late: true };
}
