/**
 * Istanbul calendar days and months as UTC instants. Turkey has kept UTC+3 all year since 2016,
 * so a fixed offset is exact for every period the console can ask about.
 */
const OFFSET = '+03:00';
const DAY_MS = 86_400_000;

/** Midnight at the start of an Istanbul day, as ISO UTC text (what the database stores). */
export function istanbulDayStart(day: string): string {
  return new Date(`${day}T00:00:00${OFFSET}`).toISOString();
}

/** The Istanbul day (YYYY-MM-DD) an instant falls on. */
export function istanbulDay(at: Date): string {
  return new Date(at.getTime() + 3 * 3600_000).toISOString().slice(0, 10);
}

export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

export interface UtcRange {
  /** Inclusive. */
  start: string;
  /** Exclusive. */
  end: string;
}

/** A period of whole Istanbul days, both ends included, as a half-open UTC range. */
export function periodRange(from: string, to: string): UtcRange {
  return { start: istanbulDayStart(from), end: istanbulDayStart(addDays(to, 1)) };
}

/** The period of the same number of days just before `from`…`to`. */
export function previousPeriod(from: string, to: string): { from: string; to: string } {
  const days = Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS) + 1;
  return { from: addDays(from, -days), to: addDays(from, -1) };
}

/** The Istanbul months (YYYY-MM) a period touches, each with its UTC start. */
export function monthsOf(from: string, to: string): { month: string; start: string }[] {
  const months: { month: string; start: string }[] = [];
  let y = Number(from.slice(0, 4));
  let m = Number(from.slice(5, 7));
  const last = to.slice(0, 7);
  for (;;) {
    const month = `${y}-${String(m).padStart(2, '0')}`;
    if (month > last) break;
    months.push({ month, start: istanbulDayStart(`${month}-01`) });
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
  return months;
}

/** The first and last day of an Istanbul month. */
export function monthPeriod(month: string): { from: string; to: string } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
  return { from: `${month}-01`, to: addDays(next, -1) };
}

/** The Istanbul month before the one `now` falls in. */
export function previousMonth(now: Date): string {
  const [y, m] = istanbulDay(now).split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}
