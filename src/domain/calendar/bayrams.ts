/**
 * First days of the two religious bayrams in Türkiye, 2020–2040. The dates are those of npm
 * `date-holidays` (its TR data is right about the dates but wrong about the hours, 18:00 on the
 * eve to noon after, and has no half days: only its dates are used). Kept as a table so the
 * domain core (also bundled into the renderer) does not carry every country's holiday rules;
 * `bayrams.test.ts` checks the table against the library, so an update there shows up as a
 * failing test here.
 *
 * Ramazan Bayramı lasts 3 days, Kurban Bayramı 4; each starts at 13:00 on the eve (arefe).
 */
export const RAMAZAN_BAYRAMI_FIRST_DAYS: readonly string[] = [
  '2020-05-24',
  '2021-05-13',
  '2022-05-02',
  '2023-04-21',
  '2024-04-10',
  '2025-03-30',
  '2026-03-20',
  '2027-03-09',
  '2028-02-26',
  '2029-02-14',
  '2030-02-04',
  '2031-01-24',
  '2032-01-14',
  '2033-01-02',
  '2033-12-23',
  '2034-12-12',
  '2035-12-01',
  '2036-11-19',
  '2037-11-08',
  '2038-10-29',
  '2039-10-19',
  '2040-10-07',
];

export const KURBAN_BAYRAMI_FIRST_DAYS: readonly string[] = [
  '2020-07-31',
  '2021-07-20',
  '2022-07-09',
  '2023-06-28',
  '2024-06-16',
  '2025-06-06',
  '2026-05-27',
  '2027-05-16',
  '2028-05-05',
  '2029-04-24',
  '2030-04-13',
  '2031-04-02',
  '2032-03-22',
  '2033-03-11',
  '2034-03-01',
  '2035-02-18',
  '2036-02-07',
  '2037-01-26',
  '2038-01-16',
  '2039-01-05',
  '2039-12-26',
  '2040-12-14',
];

/** The years the table covers; the calendar refuses to guess outside them. */
export const BAYRAM_YEARS = { first: 2020, last: 2040 } as const;
