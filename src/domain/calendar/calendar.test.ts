import { describe, expect, it } from 'vitest';
import {
  Calendar,
  DEFAULT_CALLING_HOURS,
  calendarDaysLeft,
  istanbulDay,
  legalDeadline,
} from './calendar';

/** An Istanbul wall-clock time as an instant. */
const ist = (local: string) => new Date(`${local}+03:00`);
const cal = new Calendar();

describe('working-day calendar (Europe/Istanbul)', () => {
  it('knows the 2026 bayrams, their half-day eves and 28 Ekim', () => {
    // Ramazan Bayramı 20–22 Mar 2026, arefe 19 Mar from 13:00.
    expect(cal.day('2026-03-19')).toMatchObject({ working: true, half: true, closes: 13 * 60 });
    for (const d of ['2026-03-20', '2026-03-21', '2026-03-22']) {
      expect(cal.day(d).working).toBe(false);
    }
    expect(cal.day('2026-03-23')).toMatchObject({ working: true, half: false });
    // Kurban Bayramı 27–30 May 2026, arefe 26 May.
    expect(cal.day('2026-05-26')).toMatchObject({ working: true, half: true });
    for (const d of ['2026-05-27', '2026-05-28', '2026-05-29', '2026-05-30']) {
      expect(cal.day(d)).toMatchObject({ working: false });
    }
    expect(cal.day('2026-05-27')).toMatchObject({ reason: 'Kurban Bayramı 1. gün' });
    // 28 Ekim is a half day; 29 Ekim is off.
    expect(cal.day('2026-10-28')).toMatchObject({ working: true, half: true, closes: 13 * 60 });
    expect(cal.day('2026-10-29')).toMatchObject({ working: false, reason: 'Cumhuriyet Bayramı' });
  });

  it('keeps the fixed holidays and weekends off', () => {
    for (const d of [
      '2026-01-01',
      '2026-04-23',
      '2026-05-01',
      '2026-05-19',
      '2026-07-15',
      '2026-08-30',
      '2026-11-28',
      '2026-11-29',
    ]) {
      expect(cal.isWorkingDay(d), d).toBe(false);
    }
    expect(cal.isWorkingDay('2026-11-30')).toBe(true);
  });

  it('counts working days from the day after the decision and is due at closing time', () => {
    // Monday 16:00 + 1 working day → Tuesday 17:30.
    expect(cal.addWorkingDays(ist('2026-11-30T16:00:00'), 1)).toEqual(ist('2026-12-01T17:30:00'));
    // Friday + 1 → Monday (the weekend does not count).
    expect(cal.addWorkingDays(ist('2026-12-04T10:00:00'), 1)).toEqual(ist('2026-12-07T17:30:00'));
    // Decided on a Saturday: Monday is the first working day.
    expect(cal.addWorkingDays(ist('2026-11-28T11:00:00'), 1)).toEqual(ist('2026-11-30T17:30:00'));
    // 0 days: today's close if still open, otherwise the next working day's.
    expect(cal.addWorkingDays(ist('2026-11-30T09:00:00'), 0)).toEqual(ist('2026-11-30T17:30:00'));
    expect(cal.addWorkingDays(ist('2026-11-30T18:00:00'), 0)).toEqual(ist('2026-12-01T17:30:00'));
  });

  it('carries deadlines across bayrams and ends on a half day at 13:00', () => {
    // Wed 18 Mar 2026 + 1 → Thu 19 Mar (arefe) at 13:00.
    expect(cal.addWorkingDays(ist('2026-03-18T10:00:00'), 1)).toEqual(ist('2026-03-19T13:00:00'));
    // Wed 18 Mar + 2 → Mon 23 Mar (bayram 20–22 Mar skipped).
    expect(cal.addWorkingDays(ist('2026-03-18T10:00:00'), 2)).toEqual(ist('2026-03-23T17:30:00'));
    // Fri 22 May + 3 → 25, 26 (arefe), then 27–30 bayram and the weekend → Mon 1 Jun.
    expect(cal.addWorkingDays(ist('2026-05-22T10:00:00'), 3)).toEqual(ist('2026-06-01T17:30:00'));
    // Tue 27 Oct + 2 → 28 Ekim half day, 29 off, Fri 30 Oct.
    expect(cal.addWorkingDays(ist('2026-10-27T10:00:00'), 1)).toEqual(ist('2026-10-28T13:00:00'));
    expect(cal.addWorkingDays(ist('2026-10-27T10:00:00'), 2)).toEqual(ist('2026-10-30T17:30:00'));
  });

  it('honours admin-declared extra days off (idari izin), full and half', () => {
    const withIzin = new Calendar({
      ...cal.settings,
      daysOff: [
        { date: '2026-12-31', kind: 'full', note: 'İdari izin (genelge)' },
        { date: '2026-12-30', kind: 'half', note: 'Yarım gün idari izin' },
      ],
    });
    expect(withIzin.day('2026-12-31')).toEqual({ working: false, reason: 'İdari izin (genelge)' });
    expect(withIzin.day('2026-12-30')).toMatchObject({ working: true, half: true });
    // Tue 29 Dec + 2 → Wed 30 (half) counts; Thu 31 (izin) and Fri 1 Jan (holiday) do not → Mon 4 Jan.
    expect(withIzin.addWorkingDays(ist('2026-12-29T10:00:00'), 2)).toEqual(
      ist('2027-01-04T17:30:00'),
    );
    expect(cal.addWorkingDays(ist('2026-12-29T10:00:00'), 2)).toEqual(ist('2026-12-31T17:30:00'));
  });

  it('counts working days left and overdue', () => {
    const due = ist('2026-12-07T17:30:00'); // Monday
    expect(cal.workingDaysLeft(ist('2026-12-03T10:00:00'), due)).toBe(2); // Fri, Mon
    expect(cal.workingDaysLeft(ist('2026-12-07T10:00:00'), due)).toBe(0);
    expect(cal.workingDaysLeft(ist('2026-12-09T10:00:00'), due)).toBe(-2);
  });

  it('allows calls in the daytime only, never on holidays or the afternoon of an eve', () => {
    const h = DEFAULT_CALLING_HOURS;
    expect(cal.mayCall(ist('2026-11-30T10:00:00'), h)).toBe(true);
    expect(cal.mayCall(ist('2026-11-30T08:59:00'), h)).toBe(false);
    expect(cal.mayCall(ist('2026-11-30T20:00:00'), h)).toBe(false);
    expect(cal.mayCall(ist('2026-11-28T11:00:00'), h)).toBe(true); // an ordinary Saturday
    expect(cal.mayCall(ist('2026-10-29T11:00:00'), h)).toBe(false); // Cumhuriyet Bayramı
    expect(cal.mayCall(ist('2026-03-19T12:00:00'), h)).toBe(true); // arefe morning
    expect(cal.mayCall(ist('2026-03-19T14:00:00'), h)).toBe(false); // arefe afternoon
    expect(cal.mayCall(ist('2026-10-29T11:00:00'), { ...h, onHolidays: true })).toBe(true);
    expect(cal.nextCallingTime(ist('2026-10-28T15:00:00'), h)).toEqual(ist('2026-10-30T09:00:00'));
  });

  it('tracks the 30-day legal limit in calendar days, holidays included', () => {
    const registered = ist('2026-11-29T23:30:00');
    expect(istanbulDay(registered)).toBe('2026-11-29');
    expect(legalDeadline(registered)).toEqual(ist('2026-12-29T23:30:00'));
    expect(calendarDaysLeft(ist('2026-12-01T08:00:00'), legalDeadline(registered))).toBe(28);
    expect(calendarDaysLeft(ist('2026-12-31T08:00:00'), legalDeadline(registered))).toBe(-2);
  });

  it('refuses years it has no bayram dates for instead of guessing', () => {
    expect(() => cal.day('2041-01-02')).toThrow(/bayram/);
  });
});
