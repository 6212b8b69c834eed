import { z } from 'zod';
import { text } from '../text-input';
import { BAYRAM_YEARS, KURBAN_BAYRAMI_FIRST_DAYS, RAMAZAN_BAYRAMI_FIRST_DAYS } from './bayrams';

/**
 * The Turkish public-sector working-day calendar (Law 2429 on national and public holidays), in
 * Europe/Istanbul time (UTC+03:00 all year, no DST):
 *
 * - weekends are off;
 * - fixed holidays: 1 Jan, 23 Apr, 1 May, 19 May, 15 Jul, 30 Aug, 29 Oct; 28 Oct is a half day
 *   (off from 13:00);
 * - Ramazan Bayramı (3 days) and Kurban Bayramı (4 days) are off, and their eve (arefe) is a half
 *   day from 13:00;
 * - extra days off declared by circular (idari izin), full or half, edited by an administrator.
 *
 * Everything here is pure: the server uses it for due dates and the clients for countdowns, and
 * both read the same admin-edited days off.
 */

const OFFSET_MS = 3 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'saat SS:DD biçiminde olmalı');
const isoDay = z.iso.date();

export const DayOffSchema = z.strictObject({
  date: isoDay,
  /** A whole day off, or an afternoon off (from `halfDayEnd`). */
  kind: z.enum(['full', 'half']),
  note: text({ min: 2, max: 200 }),
});
export type DayOff = z.infer<typeof DayOffSchema>;

export const CalendarSettingsSchema = z.strictObject({
  /** Office hours on a working day. */
  officeStart: hhmm,
  officeEnd: hhmm,
  /** When a half day ends (arefe, 28 Ekim, a half idari izin). */
  halfDayEnd: hhmm,
  daysOff: z.array(DayOffSchema).max(1000),
});
export type CalendarSettings = z.infer<typeof CalendarSettingsSchema>;

export const DEFAULT_CALENDAR: CalendarSettings = {
  officeStart: '08:30',
  officeEnd: '17:30',
  halfDayEnd: '13:00',
  daysOff: [],
};

/** What one Istanbul calendar day is, for working-time purposes. */
export type DayInfo =
  | { working: true; half: boolean; opens: number; closes: number; reason: string | null }
  | { working: false; reason: string };

const FIXED_HOLIDAYS: Record<string, string> = {
  '01-01': 'Yılbaşı',
  '04-23': 'Ulusal Egemenlik ve Çocuk Bayramı',
  '05-01': 'Emek ve Dayanışma Günü',
  '05-19': 'Atatürk’ü Anma, Gençlik ve Spor Bayramı',
  '07-15': 'Demokrasi ve Millî Birlik Günü',
  '08-30': 'Zafer Bayramı',
  '10-29': 'Cumhuriyet Bayramı',
};

/** Minutes after midnight of "HH:MM". */
export function minutesOf(value: string): number {
  const [h, m] = value.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

/** The Istanbul calendar day of an instant, as YYYY-MM-DD. */
export function istanbulDay(at: Date): string {
  return new Date(at.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

/** Minutes since Istanbul midnight of an instant. */
export function istanbulMinutes(at: Date): number {
  const local = new Date(at.getTime() + OFFSET_MS);
  return local.getUTCHours() * 60 + local.getUTCMinutes() + local.getUTCSeconds() / 60;
}

/** The instant of `minutes` after Istanbul midnight on `day`. */
export function istanbulInstant(day: string, minutes: number): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) - OFFSET_MS + minutes * 60_000);
}

function shiftDay(day: string, days: number): string {
  // Pure UTC arithmetic: the machine's own time zone must not matter.
  return new Date(Date.parse(`${day}T12:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

interface BayramDay {
  reason: string;
  eve: boolean;
}

/** Bayram days and eves, built once from the table. */
const BAYRAM_DAYS: ReadonlyMap<string, BayramDay> = (() => {
  const map = new Map<string, BayramDay>();
  const add = (firsts: readonly string[], length: number, name: string) => {
    for (const first of firsts) {
      map.set(shiftDay(first, -1), { reason: `${name} arifesi`, eve: true });
      for (let i = 0; i < length; i += 1) {
        map.set(shiftDay(first, i), { reason: `${name} ${i + 1}. gün`, eve: false });
      }
    }
  };
  add(RAMAZAN_BAYRAMI_FIRST_DAYS, 3, 'Ramazan Bayramı');
  add(KURBAN_BAYRAMI_FIRST_DAYS, 4, 'Kurban Bayramı');
  return map;
})();

export class Calendar {
  private readonly start: number;
  private readonly end: number;
  private readonly halfEnd: number;
  private readonly extra: ReadonlyMap<string, DayOff>;
  private readonly memo = new Map<string, DayInfo>();

  constructor(readonly settings: CalendarSettings = DEFAULT_CALENDAR) {
    this.start = minutesOf(settings.officeStart);
    this.end = minutesOf(settings.officeEnd);
    this.halfEnd = Math.min(minutesOf(settings.halfDayEnd), this.end);
    this.extra = new Map(settings.daysOff.map((d) => [d.date, d]));
  }

  /** What `day` (YYYY-MM-DD, Istanbul) is. */
  day(day: string): DayInfo {
    const cached = this.memo.get(day);
    if (cached) return cached;
    const info = this.compute(day);
    this.memo.set(day, info);
    return info;
  }

  private compute(day: string): DayInfo {
    const year = Number(day.slice(0, 4));
    if (year < BAYRAM_YEARS.first || year > BAYRAM_YEARS.last) {
      throw new RangeError(`Çalışma takvimi ${day} için bayram tarihlerini bilmiyor.`);
    }
    const weekday = new Date(`${day}T12:00:00Z`).getUTCDay();
    const fixed = FIXED_HOLIDAYS[day.slice(5)];
    if (fixed) return { working: false, reason: fixed };
    const bayram = BAYRAM_DAYS.get(day);
    if (bayram && !bayram.eve) return { working: false, reason: bayram.reason };
    const extra = this.extra.get(day);
    if (extra?.kind === 'full') return { working: false, reason: extra.note };
    if (weekday === 0 || weekday === 6) {
      return { working: false, reason: weekday === 0 ? 'Pazar' : 'Cumartesi' };
    }
    const halfReason =
      (bayram?.eve ? bayram.reason : null) ??
      (day.slice(5) === '10-28' ? 'Cumhuriyet Bayramı arifesi' : null) ??
      (extra?.kind === 'half' ? extra.note : null);
    if (halfReason !== null) {
      return {
        working: true,
        half: true,
        opens: this.start,
        closes: this.halfEnd,
        reason: halfReason,
      };
    }
    return { working: true, half: false, opens: this.start, closes: this.end, reason: null };
  }

  isWorkingDay(day: string): boolean {
    return this.day(day).working;
  }

  /**
   * The close of business on the `days`-th working day after the day of `from` (that day itself
   * does not count: a decision taken at 16:00 on Monday with 1 working day is due Tuesday at
   * closing time). With 0 days: closing time today if `from` is before it on a working day,
   * otherwise the next working day's.
   */
  addWorkingDays(from: Date, days: number): Date {
    if (!Number.isInteger(days) || days < 0) throw new RangeError('days must be a natural number');
    let day = istanbulDay(from);
    if (days === 0) {
      const today = this.day(day);
      if (today.working && istanbulMinutes(from) < today.closes) {
        return istanbulInstant(day, today.closes);
      }
      days = 1;
    }
    let left = days;
    for (;;) {
      day = shiftDay(day, 1);
      const info = this.day(day);
      if (!info.working) continue;
      left -= 1;
      if (left === 0) return istanbulInstant(day, info.closes);
    }
  }

  /**
   * Whole working days left before `due`, counting the days after today up to and including
   * the due day (negative when overdue: working days since). Today counts as 0.
   */
  workingDaysLeft(now: Date, due: Date): number {
    const today = istanbulDay(now);
    const dueDay = istanbulDay(due);
    if (due.getTime() <= now.getTime()) {
      let count = 0;
      for (let d = dueDay; d < today; d = shiftDay(d, 1)) {
        if (this.isWorkingDay(shiftDay(d, 1))) count += 1;
      }
      return -count;
    }
    let count = 0;
    for (let d = shiftDay(today, 1); d <= dueDay; d = shiftDay(d, 1)) {
      if (this.isWorkingDay(d)) count += 1;
    }
    return count;
  }

  /** Whether `at` is inside the allowed calling hours. */
  mayCall(at: Date, hours: CallingHours): boolean {
    const day = istanbulDay(at);
    const minutes = istanbulMinutes(at);
    const info = this.day(day);
    const weekend = [0, 6].includes(new Date(`${day}T12:00:00Z`).getUTCDay());
    let end = minutesOf(hours.end);
    if (!hours.onHolidays) {
      if (!info.working && !(weekend && hours.onWeekends && !this.isHoliday(day))) return false;
      if (info.working && info.half) end = Math.min(end, info.closes);
    } else if (weekend && !hours.onWeekends) {
      return false;
    }
    return minutes >= minutesOf(hours.start) && minutes < end;
  }

  /** The first moment at or after `at` when calling is allowed (searches up to 30 days ahead). */
  nextCallingTime(at: Date, hours: CallingHours): Date | null {
    if (this.mayCall(at, hours)) return at;
    let day = istanbulDay(at);
    for (let i = 0; i < 30; i += 1) {
      const startMinutes = minutesOf(hours.start);
      const candidate = istanbulInstant(day, startMinutes);
      if (candidate.getTime() >= at.getTime() && this.mayCall(candidate, hours)) return candidate;
      day = shiftDay(day, 1);
    }
    return null;
  }

  /** A public holiday (fixed, bayram or full idari izin), as opposed to an ordinary weekend. */
  private isHoliday(day: string): boolean {
    const info = this.day(day);
    return !info.working && info.reason !== 'Pazar' && info.reason !== 'Cumartesi';
  }
}

export const CallingHoursSchema = z.strictObject({
  start: hhmm,
  end: hhmm,
  /** Saturdays and Sundays that are not holidays. */
  onWeekends: z.boolean(),
  /** Public holidays, bayrams, idari izin and the afternoon of half days. */
  onHolidays: z.boolean(),
});
export type CallingHours = z.infer<typeof CallingHoursSchema>;

/** No calls at night or on holidays (the citizen's rest), weekends allowed in the daytime. */
export const DEFAULT_CALLING_HOURS: CallingHours = {
  start: '09:00',
  end: '20:00',
  onWeekends: true,
  onHolidays: false,
};

/** Law 3071 art. 7: a reasoned answer within 30 days of the application (calendar days). */
export const LEGAL_LIMIT_DAYS = 30;

export function legalDeadline(registeredAt: Date): Date {
  return new Date(registeredAt.getTime() + LEGAL_LIMIT_DAYS * DAY_MS);
}

/** Calendar days left until the legal limit (negative when passed), by Istanbul day. */
export function calendarDaysLeft(now: Date, deadline: Date): number {
  return Math.round(
    (Date.parse(`${istanbulDay(deadline)}T00:00:00Z`) -
      Date.parse(`${istanbulDay(now)}T00:00:00Z`)) /
      DAY_MS,
  );
}
